// Real parameter sets and config records, made with Debian bookworm's ffmpeg 5.1 (libx264, libx265,
// the native AAC encoder) at test-writing time; the expected values are what ffprobe and FFmpeg's
// trace_headers bitstream filter report for the same streams. See each block for the command.
#pragma once

#include <string_view>

#include "base/bytes.h"
#include "test_vectors.h"

namespace lw::codec::test_vectors {

using lw::test::from_hex;

// ffmpeg -f lavfi -i testsrc2=size=1280x720:rate=30 -frames:v 1 -c:v libx264 -profile:v high
inline constexpr const char* kHigh720Sps =
    "6764001facd9405005bb0110000003001000000303c0f1831960";
inline constexpr const char* kHigh720Pps =
    "68ebe3cb22c0";
// FFmpeg's avcC for it (ffmpeg -i high720.h264 -c copy out.mp4)
inline constexpr const char* kHigh720Avcc =
    "0164001fffe1001a6764001facd9405005bb0110000003001000000303c0f183196001000668ebe3cb22c0fdf8f800";

// testsrc2=size=640x360 ... -profile:v baseline (Constrained Baseline, cropping 368 -> 360)
inline constexpr const char* kBaseline360Sps =
    "6742c01ed900a02ff970110000030001000003003c0f162e48";
inline constexpr const char* kBaseline360Pps =
    "68cb83cb20";
// FFmpeg's avcC for it (ffmpeg -i base360.h264 -c copy out.mp4)
inline constexpr const char* kBaseline360Avcc =
    "0142c01effe100196742c01ed900a02ff970110000030001000003003c0f162e4801000568cb83cb20";

// testsrc2=size=1920x1080 ... -profile:v main (cropping 1088 -> 1080)
inline constexpr const char* kMain1080Sps =
    "674d4028eca03c0113f2e022000003000200000300781e30632c";
inline constexpr const char* kMain1080Pps =
    "68ebe3cb20";
// FFmpeg's avcC for it (ffmpeg -i main1080.h264 -c copy out.mp4)
inline constexpr const char* kMain1080Avcc =
    "014d4028ffe1001a674d4028eca03c0113f2e022000003000200000300781e30632c01000568ebe3cb20";

// testsrc2=size=642x362 ... -profile:v high (cropping 656x368 -> 642x362)
inline constexpr const char* kOdd642Sps =
    "6764001eacd940a42fe224c044000003000400000300f03c58b658";
inline constexpr const char* kOdd642Pps =
    "68ebe3cb22c0";
// FFmpeg's avcC for it (ffmpeg -i odd642.h264 -c copy out.mp4)
inline constexpr const char* kOdd642Avcc =
    "0164001effe1001b6764001eacd940a42fe224c044000003000400000300f03c58b65801000668ebe3cb22c0fdf8f800";

// testsrc2=size=352x288 ... -pix_fmt yuv420p10le -profile:v high10
inline constexpr const char* kHigh10Sps =
    "676e000da6cd9416096c0440000003004000000f03c50a6580";
inline constexpr const char* kHigh10Pps =
    "68ebe3cb22c0";
// FFmpeg's avcC for it (ffmpeg -i hi10.h264 -c copy out.mp4)
inline constexpr const char* kHigh10Avcc =
    "016e000dffe10019676e000da6cd9416096c0440000003004000000f03c50a658001000668ebe3cb22c0fdfafa00";

// testsrc2=size=176x144 ... -pix_fmt yuv444p -profile:v high444
inline constexpr const char* kHigh444Sps =
    "67f4000b919b28589d8088000003000800000301e078a14cb0";
inline constexpr const char* kHigh444Pps =
    "68ebe3c44844";
// FFmpeg's avcC for it (ffmpeg -i hi444.h264 -c copy out.mp4)
inline constexpr const char* kHigh444Avcc =
    "01f4000bffe1001967f4000b919b28589d8088000003000800000301e078a14cb001000668ebe3c44844fff8f800";

// testsrc2=size=720x576:rate=25 ... -flags +ildct+ilme -x264-params interlaced=1 (frame_mbs_only 0)
inline constexpr const char* kInterlaced576Sps =
    "6764001eacd940b424d8088000000300800000190f8a14cb";
inline constexpr const char* kInterlaced576Pps =
    "68fba3cb22c0";
// FFmpeg's avcC for it (ffmpeg -i interlaced.h264 -c copy out.mp4)
inline constexpr const char* kInterlaced576Avcc =
    "0164001effe100186764001eacd940b424d8088000000300800000190f8a14cb01000668fba3cb22c0fdf8f800";

// testsrc2=size=1920x1080:rate=25, interlaced: map units 34 -> 1088, crop_bottom 2 x CropUnitY 4
inline constexpr const char* kInterlaced1080Sps =
    "67640028acd94078044fde0220000003002000000643e2c5b2c0";
inline constexpr const char* kInterlaced1080Pps =
    "68fba3cb22c0";
// FFmpeg's avcC for it (ffmpeg -i int1080.h264 -c copy out.mp4)
inline constexpr const char* kInterlaced1080Avcc =
    "01640028ffe1001a67640028acd94078044fde0220000003002000000643e2c5b2c001000668fba3cb22c0fdf8f800";

// kHigh720Sps with seq_scaling_matrix_present_flag = 1 and 8 lists spliced in (full, useDefault, absent, ending early); FFmpeg decodes it and reports 1280x720
inline constexpr const char* kHigh720ScalingListsSps =
    "6764001fad8b0441c0c9812050140220420901485048786c22850381e0a0a050171a020e0a02e1a100a4108541102560"
    "9ce14048207228100403260e8250c8587891c0a18c0c0804040e022180886a04e704815870100200e8f050080e50d821"
    "0a0280a07c8084605c139470c0d825048098128804483c70c4582560a410874120701284461413090b82553064408090"
    "6840240f07413060e382bb280a00b76022000003000200000300781e30632c";

// kHigh444Sps with 12 scaling lists spliced in (4:4:4 has 12); FFmpeg decodes it and reports 176x144
inline constexpr const char* kHigh444ScalingListsSps =
    "67f4000b91b16088381930240a028044084120290a090f0d8450a0703c14140a02e34041c1405c3420148210a82204ac"
    "139c2809040e4502008064c1d04a190b0f123814318181008081c04430110d409ce0902b0e0200401d1e0a0101ca1b04"
    "214050140f90108c0b82728e181b04a0901302510089078e188b04ac148210e8240e025088c2826121704aa60c881012"
    "0d080481e0e8260c1c70560a05b1c2434c3c8148c04504e2013022050190460a014209108090e1604e08811827309050"
    "12608812426609cc0904b101d04e08032c3034e2e131c1d0ec2304943420150fa1e0802071a09435040133a0f8262022"
    "0c8c2868e12202801171851808060251817088290a0260c0e0f0d04a120d14388682104450d8b04a09430111c0801182"
    "90a06c2a1862c138683830118260da0c890e05011906844361c0d85459f650b13b0110000003001000000303c0f14299"
    "60";

// ffmpeg -f lavfi -i testsrc2=size=1280x720:rate=30 -frames:v 1 -c:v libx265 (Main, level 3.1)
inline constexpr const char* kHevc720Vps =
    "40010c01ffff01600000030090000003000003005d959809";
inline constexpr const char* kHevc720Sps =
    "42010101600000030090000003000003005da00280802d165959a4932bc05a020000030002000003003c10";
inline constexpr const char* kHevc720Pps =
    "4401c172b46240";
// FFmpeg's hvcC for it (ffmpeg -i hevc720.hevc -c copy -tag:v hvc1 out.mp4: array_completeness 1)
inline constexpr const char* kHevc720Hvcc =
    "0101600000009000000000005df000fcfdf8f800000f03a00001001840010c01ffff0160000003009000000300000300"
    "5d959809a10001002b42010101600000030090000003000003005da00280802d165959a4932bc05a0200000300020000"
    "03003c10a2000100074401c172b46240";

// testsrc2=size=642x362, libx265: coded 648x368, conformance window to 642x362
inline constexpr const char* kHevc642Vps =
    "40010c01ffff01600000030090000003000003003f959809";
inline constexpr const char* kHevc642Sps =
    "42010101600000030090000003000003003fa005120171c9265959a4932bc05a020000030002000003003c10";
inline constexpr const char* kHevc642Pps =
    "4401c172b46240";
// FFmpeg's hvcC for it (ffmpeg -i hevc642.hevc -c copy -tag:v hvc1 out.mp4: array_completeness 1)
inline constexpr const char* kHevc642Hvcc =
    "0101600000009000000000003ff000fcfdf8f800000f03a00001001840010c01ffff0160000003009000000300000300"
    "3f959809a10001002c42010101600000030090000003000003003fa005120171c9265959a4932bc05a02000003000200"
    "0003003c10a2000100074401c172b46240";

// testsrc2=size=320x240, libx265 -pix_fmt yuv420p10le (Main 10)
inline constexpr const char* kHevcMain10Vps =
    "40010c01ffff02200000030090000003000003003c959809";
inline constexpr const char* kHevcMain10Sps =
    "42010102200000030090000003000003003ca00a080f1365959a4932bc05a020000003002000000303c1";
inline constexpr const char* kHevcMain10Pps =
    "4401c172b46240";
// FFmpeg's hvcC for it (ffmpeg -i hevc10.hevc -c copy -tag:v hvc1 out.mp4: array_completeness 1)
inline constexpr const char* kHevcMain10Hvcc =
    "0102200000009000000000003cf000fcfdfafa00000f03a00001001840010c01ffff0220000003009000000300000300"
    "3c959809a10001002a42010102200000030090000003000003003ca00a080f1365959a4932bc05a02000000300200000"
    "0303c1a2000100074401c172b46240";

// AudioSpecificConfigs from the esds of MP4s written by ffmpeg's native AAC encoder (-c:a aac); FFmpeg
// appends the backward-compatible "no SBR" extension 0x2B7 / AOT 5 / sbrPresentFlag 0.
inline constexpr const char* kAacLc44100Stereo = "121056e500";  // sine, -ar 44100 -ac 2
inline constexpr const char* kAacLc8000Mono = "158856e500";     // -ar 8000 -ac 1
inline constexpr const char* kAacLc48000Surround = "11b056e500";  // -ar 48000 -ac 6 (5.1)
// The first ADTS header of `ffmpeg -f lavfi -i sine=sample_rate=48000 -ac 1 -c:a aac -f adts`: LC,
// index 3, mono, frame_length 288 (the next syncword is at byte 288), VBR fullness 0x7FF.
inline constexpr const char* kAdtsLc48000Mono = "fff14c40241ffc";
// Built by hand and checked by swapping them into that MP4's esds: ffprobe reports the rates noted.
inline constexpr const char* kHeAacV1Explicit = "2b920800";  // AOT 5, 22050 core -> 44100, stereo
inline constexpr const char* kHeAacV2Explicit = "eb8a0800";  // AOT 29, 22050 mono -> 44100, 2 ch (PS)
inline constexpr const char* kBackwardCompatibleSbrPs = "130856e59d4880";  // LC 24000 mono + 0x2B7 SBR 48000 + 0x548 PS: 48000, 2 ch
inline constexpr const char* kExplicitFrequency44056 = "1780560c10";  // LC, index 15, 24-bit 44056 Hz, stereo
inline constexpr const char* kEscapeObjectType42 = "f94640";  // 31 + 6 bits: AOT 42 (USAC), not AAC GA

}  // namespace lw::codec::test_vectors
