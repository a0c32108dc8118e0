// A set of slots of the scheduling horizon (slot i = bit i), the scheduler's unit of account:
// who is blocked when, which starts are free. Sized once to the horizon; bits beyond the size
// are always clear, so Complement and Count need no special cases. Up to 256 slots (four
// words: a week of 9-hour days in 20-minute slots) live inline, without allocation.
//
//   SlotSet busy(grid_size);
//   busy.SetRange(3, 6);                       // slots 3, 4, 5
//   SlotSet free = busy.Complement();
//   SlotSet two_free = free & free.ShiftedDown(1);  // i such that i and i+1 are free
//   two_free.ForEach([](int slot) { ... });    // ascending
//
// Internal to the scheduler. Thread-safety: a value type.
#ifndef SUMMIT_SERVICES_SCHEDULING_SCHEDULER_SLOT_SET_H_
#define SUMMIT_SERVICES_SCHEDULING_SCHEDULER_SLOT_SET_H_

#include <cstdint>

#include "absl/container/inlined_vector.h"
#include "absl/numeric/bits.h"

namespace summit::scheduling {

class SlotSet {
 public:
  SlotSet() = default;
  explicit SlotSet(int size) : size_(size), words_((size + 63) / 64, 0) {}

  int size() const { return size_; }

  bool Test(int i) const { return (words_[i >> 6] >> (i & 63)) & 1; }
  void Set(int i) { words_[i >> 6] |= uint64_t{1} << (i & 63); }

  // Sets slots [from, to); nothing when to <= from.
  void SetRange(int from, int to) {
    for (int w = from >> 6; from < to; ++w) {
      const int lo = from & 63;
      const int hi = (to - (w << 6)) >= 64 ? 64 : to - (w << 6);
      words_[w] |= Bits(lo, hi);
      from = (w + 1) << 6;
    }
  }
  // Clears slots [from, to).
  void ClearRange(int from, int to) {
    for (int w = from >> 6; from < to; ++w) {
      const int lo = from & 63;
      const int hi = (to - (w << 6)) >= 64 ? 64 : to - (w << 6);
      words_[w] &= ~Bits(lo, hi);
      from = (w + 1) << 6;
    }
  }
  // Whether any of the slots [from, to) is in the set.
  bool AnyInRange(int from, int to) const {
    for (int w = from >> 6; from < to; ++w) {
      const int lo = from & 63;
      const int hi = (to - (w << 6)) >= 64 ? 64 : to - (w << 6);
      if (words_[w] & Bits(lo, hi)) return true;
      from = (w + 1) << 6;
    }
    return false;
  }

  bool Any() const {
    for (uint64_t w : words_) {
      if (w) return true;
    }
    return false;
  }
  int Count() const {
    int n = 0;
    for (uint64_t w : words_) n += absl::popcount(w);
    return n;
  }
  bool Intersects(const SlotSet& other) const {
    for (size_t w = 0; w < words_.size(); ++w) {
      if (words_[w] & other.words_[w]) return true;
    }
    return false;
  }

  SlotSet& operator|=(const SlotSet& other) {
    for (size_t w = 0; w < words_.size(); ++w) words_[w] |= other.words_[w];
    return *this;
  }
  SlotSet& operator&=(const SlotSet& other) {
    for (size_t w = 0; w < words_.size(); ++w) words_[w] &= other.words_[w];
    return *this;
  }
  friend SlotSet operator&(SlotSet a, const SlotSet& b) { return a &= b; }
  friend SlotSet operator|(SlotSet a, const SlotSet& b) { return a |= b; }
  friend bool operator==(const SlotSet& a, const SlotSet& b) {
    return a.size_ == b.size_ && a.words_ == b.words_;
  }

  SlotSet Complement() const {
    SlotSet result = *this;
    for (uint64_t& w : result.words_) w = ~w;
    if (size_ & 63) result.words_.back() &= Bits(0, size_ & 63);
    return result;
  }

  // Slot i of the result is slot i + k of this set (k >= 0); the top k slots become clear.
  SlotSet ShiftedDown(int k) const {
    SlotSet result(size_);
    const int word_shift = k >> 6, bit_shift = k & 63;
    const int n = static_cast<int>(words_.size());
    for (int w = 0; w + word_shift < n; ++w) {
      uint64_t v = words_[w + word_shift] >> bit_shift;
      if (bit_shift && w + word_shift + 1 < n) v |= words_[w + word_shift + 1] << (64 - bit_shift);
      result.words_[w] = v;
    }
    return result;
  }

  // Slot i + k of the result is slot i of this set (k >= 0); slots past the end are dropped.
  SlotSet ShiftedUp(int k) const {
    SlotSet result(size_);
    const int word_shift = k >> 6, bit_shift = k & 63;
    const int n = static_cast<int>(words_.size());
    for (int w = n - 1; w - word_shift >= 0; --w) {
      uint64_t v = words_[w - word_shift] << bit_shift;
      if (bit_shift && w - word_shift - 1 >= 0) v |= words_[w - word_shift - 1] >> (64 - bit_shift);
      result.words_[w] = v;
    }
    if (size_ & 63) result.words_.back() &= Bits(0, size_ & 63);
    return result;
  }

  // Slots i such that all of i, i+1, …, i+length-1 are in the set.
  SlotSet RunStarts(int length) const {
    SlotSet result = *this;
    for (int k = 1; k < length; ++k) result &= ShiftedDown(k);
    return result;
  }

  // Calls f(slot) for every slot in the set, ascending.
  template <typename F>
  void ForEach(F f) const {
    for (size_t w = 0; w < words_.size(); ++w) {
      for (uint64_t v = words_[w]; v; v &= v - 1)
        f(static_cast<int>(w * 64) + absl::countr_zero(v));
    }
  }

 private:
  // Bits [lo, hi) of a word, 0 <= lo <= hi <= 64.
  static uint64_t Bits(int lo, int hi) {
    const uint64_t upto_hi = hi == 64 ? ~uint64_t{0} : (uint64_t{1} << hi) - 1;
    return upto_hi & ~((uint64_t{1} << lo) - 1);
  }

  int size_ = 0;
  absl::InlinedVector<uint64_t, 4> words_;
};

}  // namespace summit::scheduling

#endif  // SUMMIT_SERVICES_SCHEDULING_SCHEDULER_SLOT_SET_H_
