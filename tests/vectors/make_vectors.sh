#!/usr/bin/env bash
# Makes the FLV test vectors with Debian's ffmpeg, and ffprobe's view of each, into OUTDIR
# (default build/vectors). Deterministic (bit-exact flags, one thread, fixed lavfi sources) and
# idempotent: when every output exists and this script has not changed since they were made, it
# does nothing. The unit tests find OUTDIR through tests/unit/test_vectors.h.
#
# For each NAME.flv it writes:
#   NAME.flv            the file
#   NAME.packets.csv    ffprobe -show_packets: codec_type,pts,dts,size,flags (one line per packet)
#   NAME.streams.csv    ffprobe -show_streams, one line per stream: codec_name=h264|codec_type=video|width=320...
# and hevc.h265 / opus.ogg: elementary streams the tests mux themselves (Debian's ffmpeg 5.1 cannot
# put HEVC or Opus into FLV). The legacy audio formats (issue 19), audio only, a 1 kHz sine:
#   alaw_8k, mulaw_8k (G.711, SoundFormat 7/8), pcm_s16le_22k (3), pcm_u8_22k (0, 8-bit),
#   mp3_48k (2, stereo at 48 kHz, which FLV's rate bits cannot say), nellymoser_8k (5), speex_16k (11),
#   adpcm_22k (1): NAME.flv, and for the first four NAME.s16, ffmpeg's own decoding of the FLV (s16le).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/build/vectors}
mkdir -p "$out"

stamp="$out/.stamp"
want=$(sha256sum "$0" | cut -d' ' -f1)
names=(h264_aac h264_aac_bframes aac_only h264_only)
if [[ -f $stamp && $(cat "$stamp") == "$want" ]]; then
  ok=1
  for n in "${names[@]}"; do
    [[ -s $out/$n.flv && -s $out/$n.packets.csv && -s $out/$n.streams.csv ]] || ok=0
  done
  [[ -s $out/hevc.h265 && -s $out/opus.ogg ]] || ok=0
  for n in alaw_8k mulaw_8k pcm_s16le_22k pcm_u8_22k; do [[ -s $out/$n.s16 ]] || ok=0; done
  for n in mp3_48k nellymoser_8k speex_16k adpcm_22k h263_aac flashsv_aac; do [[ -s $out/$n.flv ]] || ok=0; done
  if [[ $ok == 1 ]]; then echo "vectors up to date in $out"; exit 0; fi
fi

# The same bytes on every machine: FFmpeg's own code (lavfi, swscale, the encoders) and x264/x265 run their C
# paths (-cpuflags 0, asm=0 / asm=none). With their assembly, x264's output for the B-frame vector differed
# between an Intel Xeon and an AMD EPYC (95658 against 95697 bytes), and the goldens (tests/golden/) with it.
ff=(ffmpeg -nostdin -hide_banner -loglevel error -y -threads 1 -cpuflags 0)
video=(-f lavfi -i "testsrc2=size=320x240:rate=30:duration=2")
audio=(-f lavfi -i "sine=frequency=1000:sample_rate=44100:duration=2")
exact=(-fflags +bitexact -flags:v +bitexact -flags:a +bitexact -map_metadata -1)
x264=(-c:v libx264 -threads 1 -g 30 -pix_fmt yuv420p -x264-params asm=0)
aac=(-c:a aac -b:a 64k -ac 2)

"${ff[@]}" "${video[@]}" "${audio[@]}" "${x264[@]}" -profile:v baseline -bf 0 "${aac[@]}" \
  "${exact[@]}" -f flv "$out/h264_aac.flv"
"${ff[@]}" "${video[@]}" "${audio[@]}" "${x264[@]}" -profile:v high -bf 2 "${aac[@]}" \
  "${exact[@]}" -f flv "$out/h264_aac_bframes.flv"
"${ff[@]}" "${audio[@]}" "${aac[@]}" "${exact[@]}" -f flv "$out/aac_only.flv"
"${ff[@]}" "${video[@]}" "${x264[@]}" -profile:v main -bf 0 "${exact[@]}" -f flv "$out/h264_only.flv"
# Elementary streams for the HEVC and Opus tests (muxed by our own muxer).
"${ff[@]}" -f lavfi -i "testsrc2=size=320x240:rate=30:duration=1" -c:v libx265 \
  -x265-params "log-level=error:pools=none:frame-threads=1:bframes=0:keyint=15:asm=none" \
  "${exact[@]}" -f hevc "$out/hevc.h265"
"${ff[@]}" -f lavfi -i "sine=frequency=1000:sample_rate=48000:duration=1" -c:a libopus -b:a 32k \
  "${exact[@]}" -f ogg "$out/opus.ogg"

# Legacy audio formats (issue 19).
sine() { echo "sine=frequency=1000:sample_rate=$1:duration=1"; }
"${ff[@]}" -f lavfi -i "$(sine 8000)" -c:a pcm_alaw -ac 1 "${exact[@]}" -f flv "$out/alaw_8k.flv"
"${ff[@]}" -f lavfi -i "$(sine 8000)" -c:a pcm_mulaw -ac 1 "${exact[@]}" -f flv "$out/mulaw_8k.flv"
"${ff[@]}" -f lavfi -i "$(sine 22050)" -c:a pcm_s16le -ac 1 "${exact[@]}" -f flv "$out/pcm_s16le_22k.flv"
"${ff[@]}" -f lavfi -i "$(sine 22050)" -c:a pcm_u8 -ac 1 "${exact[@]}" -f flv "$out/pcm_u8_22k.flv"
"${ff[@]}" -f lavfi -i "$(sine 48000)" -c:a libmp3lame -b:a 96k -ac 2 "${exact[@]}" -f flv "$out/mp3_48k.flv"
"${ff[@]}" -f lavfi -i "$(sine 8000)" -c:a nellymoser -ac 1 "${exact[@]}" -f flv "$out/nellymoser_8k.flv"
"${ff[@]}" -f lavfi -i "$(sine 16000)" -c:a libspeex -ac 1 "${exact[@]}" -f flv "$out/speex_16k.flv"
"${ff[@]}" -f lavfi -i "$(sine 22050)" -c:a adpcm_swf -ac 1 "${exact[@]}" -f flv "$out/adpcm_22k.flv"
# Legacy video codecs the player does not decode (Sorenson H.263, CodecID 2; Screen Video, 3), with AAC.
"${ff[@]}" "${video[@]}" "${audio[@]}" -c:v flv -g 30 "${aac[@]}" "${exact[@]}" -f flv "$out/h263_aac.flv"
"${ff[@]}" "${video[@]}" "${audio[@]}" -c:v flashsv -g 30 "${aac[@]}" "${exact[@]}" -f flv "$out/flashsv_aac.flv"
for n in alaw_8k mulaw_8k pcm_s16le_22k pcm_u8_22k; do
  "${ff[@]}" -i "$out/$n.flv" -f s16le -c:a pcm_s16le "$out/$n.s16"
done

for n in "${names[@]}"; do
  ffprobe -v error -show_packets -show_entries packet=codec_type,pts,dts,size,flags -of csv=p=0 \
    "$out/$n.flv" > "$out/$n.packets.csv"
  ffprobe -v error -show_entries stream=codec_type,codec_name,width,height,sample_rate,channels \
    -of compact=p=0 "$out/$n.flv" > "$out/$n.streams.csv"
done
echo "$want" > "$stamp"
echo "vectors written to $out"
