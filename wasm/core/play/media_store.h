// PlaySession's packet store: the encoded video and audio packets between arrival and the decoders,
// bounded in time and bytes. It decides which video is stored at all: only from a key frame on (at
// the start, after a new configuration, after a decode error, when video is switched back on) and
// none while video is off; every video frame it does not keep counts as dropped.
#pragma once

#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "play/packet_queue.h"
#include "play/play_session.h"
#include "play/play_stats.h"

namespace lw::play {

class MediaStore {
 public:
  explicit MediaStore(PlayStats& stats) : stats_(stats) {}

  // A video frame as it arrives; `playable`: its codec is the configured one. Stored, or counted dropped.
  void offer_video(const StoredPacket& packet, ByteSpan payload, bool playable);
  void store_audio(const StoredPacket& packet, ByteSpan payload) { audio_.push(packet, payload); }

  // What is stored (the play-out and the decode scheduling read it).
  const PacketQueue& video() const { return video_; }
  bool video_enabled() const { return video_enabled_; }

  // Hands the front packet out (its data stays valid until the next store) and removes it.
  void pop_video(MediaPacket* out);
  bool pop_audio(MediaPacket* out);
  void drop_video_front();
  // Drops the newest packets of `kind` at or after `time_us` (dts for video, pts for audio): a switch
  // of track starts there. Video counts them as dropped.
  void drop_back_from(TrackKind kind, int64_t time_us);
  void drop_video(size_t count);
  // After a decode error: up to the next stored key frame, or the next key frame that arrives.
  void resume_video_at_key();
  // A new video configuration starts at a key frame.
  void wait_for_video_key() { video_wait_key_ = true; }
  // Off: the stored video is dropped and none is stored; on again: from the next key frame.
  void set_video_enabled(bool enabled);

  // Drops what is older than `keep_us` behind the newest (video up to a key frame) or past half the
  // byte limit.
  void enforce_bounds(int64_t keep_us);
  size_t bytes() const { return video_.bytes() + audio_.bytes(); }

 private:
  PlayStats& stats_;
  PacketQueue video_{64u << 20};
  PacketQueue audio_{8u << 20};
  bool video_enabled_ = true;
  bool video_wait_key_ = true;
};

}  // namespace lw::play
