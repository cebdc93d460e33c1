// The video track of an FLV file (legacy AVC 7 / HEVC 12 tags), for the decode benchmarks in Node and in
// the page: {codec: 'h264'|'hevc', codecString, config, packets: [{data, ptsUs, key}]}.
export function flvVideoTrack(buf) {
  const out = { codec: 'h264', codecString: '', config: null, packets: [] };
  for (let p = 13; p + 11 <= buf.length; ) {
    const size = (buf[p + 1] << 16) | (buf[p + 2] << 8) | buf[p + 3];
    const ts = ((buf[p + 4] << 16) | (buf[p + 5] << 8) | buf[p + 6]) + buf[p + 7] * 2 ** 24;
    const body = buf.subarray(p + 11, p + 11 + size);
    if (buf[p] === 9 && size > 5) {
      if ((body[0] & 15) === 12) out.codec = 'hevc';
      let cts = (body[2] << 16) | (body[3] << 8) | body[4];
      if (cts & 0x800000) cts -= 0x1000000;
      if (body[1] === 0) out.config = body.slice(5);
      else if (body[1] === 1) out.packets.push({ data: body.slice(5), ptsUs: (ts + cts) * 1000, key: body[0] >> 4 === 1 });
    }
    p += 11 + size + 4;
  }
  // RFC 6381 from the avcC's profile, compatibility and level bytes.
  if (out.codec === 'h264' && out.config)
    out.codecString = 'avc1.' + [1, 2, 3].map((i) => out.config[i].toString(16).padStart(2, '0')).join('');
  return out;
}
