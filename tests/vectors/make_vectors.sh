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
# put HEVC or Opus into FLV).
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
  if [[ $ok == 1 ]]; then echo "vectors up to date in $out"; exit 0; fi
fi

ff=(ffmpeg -nostdin -hide_banner -loglevel error -y -threads 1)
video=(-f lavfi -i "testsrc2=size=320x240:rate=30:duration=2")
audio=(-f lavfi -i "sine=frequency=1000:sample_rate=44100:duration=2")
exact=(-fflags +bitexact -flags:v +bitexact -flags:a +bitexact -map_metadata -1)
x264=(-c:v libx264 -threads 1 -g 30 -pix_fmt yuv420p)
aac=(-c:a aac -b:a 64k -ac 2)

"${ff[@]}" "${video[@]}" "${audio[@]}" "${x264[@]}" -profile:v baseline -bf 0 "${aac[@]}" \
  "${exact[@]}" -f flv "$out/h264_aac.flv"
"${ff[@]}" "${video[@]}" "${audio[@]}" "${x264[@]}" -profile:v high -bf 2 "${aac[@]}" \
  "${exact[@]}" -f flv "$out/h264_aac_bframes.flv"
"${ff[@]}" "${audio[@]}" "${aac[@]}" "${exact[@]}" -f flv "$out/aac_only.flv"
"${ff[@]}" "${video[@]}" "${x264[@]}" -profile:v main -bf 0 "${exact[@]}" -f flv "$out/h264_only.flv"
# Elementary streams for the HEVC and Opus tests (muxed by our own muxer).
"${ff[@]}" -f lavfi -i "testsrc2=size=320x240:rate=30:duration=1" -c:v libx265 \
  -x265-params "log-level=error:pools=none:frame-threads=1:bframes=0:keyint=15" \
  "${exact[@]}" -f hevc "$out/hevc.h265"
"${ff[@]}" -f lavfi -i "sine=frequency=1000:sample_rate=48000:duration=1" -c:a libopus -b:a 32k \
  "${exact[@]}" -f ogg "$out/opus.ogg"

for n in "${names[@]}"; do
  ffprobe -v error -show_packets -show_entries packet=codec_type,pts,dts,size,flags -of csv=p=0 \
    "$out/$n.flv" > "$out/$n.packets.csv"
  ffprobe -v error -show_entries stream=codec_type,codec_name,width,height,sample_rate,channels \
    -of compact=p=0 "$out/$n.flv" > "$out/$n.streams.csv"
done
echo "$want" > "$stamp"
echo "vectors written to $out"
