#include "codecs/dav1d/av1_decoder.h"

#include <cerrno>
#include <cstring>

extern "C" {
#include <dav1d/dav1d.h>
}

#include "codec/av1_config.h"

namespace lw::codecs {

struct Dav1dAv1Decoder::Picture {
  Dav1dPicture pic{};
  ~Picture() { dav1d_picture_unref(&pic); }
};

namespace {

Status dav1d_error(int err, const char* what) {
  return Status(ErrorCode::kInvalid, std::string("dav1d ") + what + ": " + std::strerror(-err));
}

}  // namespace

Dav1dAv1Decoder::Dav1dAv1Decoder() = default;

Dav1dAv1Decoder::~Dav1dAv1Decoder() {
  close();
  for (Picture* p : queue_) delete p;
}

std::string Dav1dAv1Decoder::version() { return dav1d_version(); }

void Dav1dAv1Decoder::close() {
  delete current_;
  current_ = nullptr;
  if (ctx_) dav1d_close(&ctx_);
  ctx_ = nullptr;
}

Status Dav1dAv1Decoder::configure(ByteSpan description) {
  if (ctx_ && Bytes(description.begin(), description.end()) == description_) return Status::Ok();
  auto record = codec::parse_av1_config(description);
  if (!record.ok()) return record.status();
  if (record->bit_depth() != 8 || record->monochrome || !record->chroma_subsampling_x || !record->chroma_subsampling_y) {
    return Status(ErrorCode::kUnsupported, "the wasm AV1 decoder takes 8-bit 4:2:0 only; this stream is " +
                                               std::to_string(record->bit_depth()) + "-bit " +
                                               (record->monochrome ? "monochrome" : record->chroma_subsampling_x ? "4:2:2" : "4:4:4"));
  }
  close();
  Dav1dSettings s;
  dav1d_default_settings(&s);
  s.n_threads = 1;        // no threads in the wasm build
  s.max_frame_delay = 1;  // a picture per temporal unit, at once
  s.all_layers = 0;       // the highest spatial layer only
  if (int err = dav1d_open(&ctx_, &s); err < 0) {
    ctx_ = nullptr;
    return dav1d_error(err, "open");
  }
  description_.assign(description.begin(), description.end());
  // The sequence header from the record: a stream whose key frames do not repeat it still decodes.
  if (!record->config_obus.empty()) {
    Status st = send(as_span(record->config_obus), 0);
    if (!st.ok()) return st;
  }
  return Status::Ok();
}

Status Dav1dAv1Decoder::send(ByteSpan bytes, int64_t pts_us) {
  Dav1dData data{};
  uint8_t* buf = dav1d_data_create(&data, bytes.size());
  if (!buf) return Status(ErrorCode::kLimitExceeded, "dav1d: no memory for a packet");
  std::memcpy(buf, bytes.data(), bytes.size());
  data.m.timestamp = pts_us;
  // dav1d's loop (dav1d.h): send until consumed, taking pictures out whenever it says EAGAIN.
  for (int rounds = 0; data.sz > 0; ++rounds) {
    const int err = dav1d_send_data(ctx_, &data);
    if (err < 0 && err != DAV1D_ERR(EAGAIN)) {
      dav1d_data_unref(&data);
      return dav1d_error(err, "send_data");
    }
    Status st = drain();
    if (!st.ok() || rounds > 64) {
      dav1d_data_unref(&data);
      return st.ok() ? Status(ErrorCode::kInvalid, "dav1d took no data") : st;
    }
  }
  return drain();
}

Status Dav1dAv1Decoder::drain() {
  for (;;) {
    auto* p = new Picture();
    const int err = dav1d_get_picture(ctx_, &p->pic);
    if (err < 0) {
      delete p;
      return err == DAV1D_ERR(EAGAIN) ? Status::Ok() : dav1d_error(err, "get_picture");
    }
    queue_.push_back(p);
  }
}

Status Dav1dAv1Decoder::decode(ByteSpan tu, int64_t pts_us, bool /*key*/) {
  if (!ctx_) return Status(ErrorCode::kMisuse, "AV1 decoder not configured");
  ++packets_in_;
  return send(tu, pts_us);
}

Status Dav1dAv1Decoder::flush() {
  if (ctx_) dav1d_flush(ctx_);
  return Status::Ok();
}

bool Dav1dAv1Decoder::next_frame(VideoFrameView* out) {
  delete current_;
  current_ = nullptr;
  while (!queue_.empty()) {
    Picture* p = queue_.front();
    queue_.pop_front();
    const Dav1dPicture& pic = p->pic;
    if (pic.p.bpc != 8 || pic.p.layout != DAV1D_PIXEL_LAYOUT_I420) {
      ++frame_errors_;
      last_error_ = Status(ErrorCode::kUnsupported, "AV1 picture " + std::to_string(pic.p.bpc) + "-bit layout " +
                                                         std::to_string(static_cast<int>(pic.p.layout)) + " (want 8-bit 4:2:0)");
      delete p;
      continue;
    }
    current_ = p;
    out->pts_us = pic.m.timestamp;
    out->width = pic.p.w;
    out->height = pic.p.h;
    out->y = static_cast<const uint8_t*>(pic.data[0]);
    out->u = static_cast<const uint8_t*>(pic.data[1]);
    out->v = static_cast<const uint8_t*>(pic.data[2]);
    out->stride_y = static_cast<int>(pic.stride[0]);
    out->stride_u = out->stride_v = static_cast<int>(pic.stride[1]);
    out->converted = false;
    ++frames_out_;
    return true;
  }
  return false;
}

}  // namespace lw::codecs
