// A FIFO ring of trivially copyable values in one vector: push_back/pop_front without a per-element
// allocation (std::deque allocates and frees blocks as it slides). Grows by doubling when full, so a
// bounded producer reaches a steady capacity and stays there.
#pragma once

#include <cstddef>
#include <vector>

namespace lw::play {

template <class T>
class Ring {
 public:
  explicit Ring(size_t capacity = 64) : items_(capacity < 4 ? 4 : capacity) {}

  size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  size_t capacity() const { return items_.size(); }
  T& operator[](size_t i) { return items_[(head_ + i) % items_.size()]; }
  const T& operator[](size_t i) const { return items_[(head_ + i) % items_.size()]; }
  T& front() { return (*this)[0]; }
  const T& front() const { return (*this)[0]; }
  T& back() { return (*this)[count_ - 1]; }
  const T& back() const { return (*this)[count_ - 1]; }

  void push_back(const T& v) {
    if (count_ == items_.size()) grow();
    items_[(head_ + count_) % items_.size()] = v;
    ++count_;
  }
  void pop_front() {
    if (count_ == 0) return;
    head_ = (head_ + 1) % items_.size();
    --count_;
  }
  void pop_back() {
    if (count_ > 0) --count_;
  }
  void clear() { head_ = count_ = 0; }

 private:
  void grow() {
    std::vector<T> bigger(items_.size() * 2);
    for (size_t i = 0; i < count_; ++i) bigger[i] = (*this)[i];
    items_.swap(bigger);
    head_ = 0;
  }
  std::vector<T> items_;
  size_t head_ = 0;
  size_t count_ = 0;
};

}  // namespace lw::play
