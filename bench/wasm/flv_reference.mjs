// What an FLV file holds, counted by two independent judges, so that every demuxer in the harness can
// be checked to have parsed all of it (a benchmark of a parser that silently did nothing is worthless):
//   - ffprobe's packet count per stream (Debian's ffmpeg, its own flvdec);
//   - a plain walk over the tag headers (11 bytes + PreviousTagSize, FLV spec E.4.1), counting tags by
//     type and the tags that carry no samples: AVC/AAC sequence headers and the AVC end-of-sequence
//     tag ffmpeg writes last (17 02 00 00 00).
// This walk is a reference count for the harness only: it trusts every size and checks nothing; the
// product's demuxer is the C++ one.
import { execFileSync } from 'node:child_process';

export function walkFlvTags(bytes) {
  const counts = { tags: 0, audio: 0, video: 0, script: 0, other: 0, sequenceHeaders: 0, endOfSequence: 0,
    payloadBytes: 0 };
  if (bytes.length < 13 || bytes[0] !== 0x46 || bytes[1] !== 0x4c || bytes[2] !== 0x56) {
    throw new Error('not an FLV file');
  }
  const headerSize = ((bytes[5] << 24) | (bytes[6] << 16) | (bytes[7] << 8) | bytes[8]) >>> 0;
  let p = headerSize + 4;  // FLV header, PreviousTagSize0
  while (p + 11 <= bytes.length) {
    const type = bytes[p] & 0x1f;
    const size = (bytes[p + 1] << 16) | (bytes[p + 2] << 8) | bytes[p + 3];
    if (p + 11 + size + 4 > bytes.length) break;
    const body = p + 11;
    counts.tags++;
    counts.payloadBytes += size;
    if (type === 8) {
      counts.audio++;
      if ((bytes[body] >> 4) === 10 && bytes[body + 1] === 0) counts.sequenceHeaders++;  // AAC config
    } else if (type === 9) {
      counts.video++;
      if ((bytes[body] & 0x0f) === 7 && bytes[body + 1] === 0) counts.sequenceHeaders++;  // AVC config
      if ((bytes[body] & 0x0f) === 7 && bytes[body + 1] === 2) counts.endOfSequence++;
    } else if (type === 18) {
      counts.script++;
    } else {
      counts.other++;
    }
    p = body + size + 4;
  }
  counts.walkedBytes = p;
  counts.samples = counts.audio + counts.video - counts.sequenceHeaders - counts.endOfSequence;
  return counts;
}

// { audio, video } packets as ffprobe counts them (sequence headers become extradata, not packets).
export function ffprobePackets(file) {
  const out = execFileSync('ffprobe', ['-v', 'error', '-count_packets', '-show_entries',
    'stream=codec_type,nb_read_packets', '-of', 'json', file], { encoding: 'utf8' });
  const result = { audio: 0, video: 0 };
  for (const s of JSON.parse(out).streams) result[s.codec_type] = Number(s.nb_read_packets);
  return result;
}
