// A small cache of values computed from the database, each kept with the revision of the data
// it was computed from. A reader reads the current revision inside its own transaction and
// takes a cached value only when it was computed at exactly that revision; writers bump the
// revision in the transaction of their write, so a value can never outlive the rows it came
// from, in this process or in another one sharing the database.
//
// Values are shared and immutable: a hit costs a lock and a reference count, not a copy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace psea {

template <typename Key, typename Value>
class RevisionCache {
 public:
  // At most `capacity` values; the least recently used one makes room for a new one.
  explicit RevisionCache(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  // The value stored for `key` at `revision`, or null.
  std::shared_ptr<const Value> Find(const Key& key, std::int64_t revision) {
    std::lock_guard lock(mutex_);
    for (auto& slot : slots_) {
      if (slot.key == key && slot.revision == revision) {
        slot.last_used = ++uses_;
        ++hits_;
        return slot.value;
      }
    }
    ++misses_;
    return nullptr;
  }

  // Keeps `value` for `key`, unless a value of a later revision is there already (a reader
  // whose transaction began before a write may finish after a reader that began after it).
  void Store(const Key& key, std::int64_t revision, std::shared_ptr<const Value> value) {
    // The value replaced is released after the lock: freeing a large one takes milliseconds.
    std::shared_ptr<const Value> replaced;
    std::lock_guard lock(mutex_);
    Slot* target = nullptr;
    for (auto& slot : slots_) {
      if (slot.key == key) {
        if (slot.revision > revision) return;
        target = &slot;
        break;
      }
    }
    if (!target && slots_.size() < capacity_) target = &slots_.emplace_back();
    if (!target) {
      target = &slots_.front();
      for (auto& slot : slots_) {
        if (slot.last_used < target->last_used) target = &slot;
      }
    }
    target->key = key;
    target->revision = revision;
    replaced = std::exchange(target->value, std::move(value));
    target->last_used = ++uses_;
  }

  void Clear() {
    std::lock_guard lock(mutex_);
    slots_.clear();
  }

  struct Counts {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::size_t size = 0;
  };
  Counts counts() {
    std::lock_guard lock(mutex_);
    return {hits_, misses_, slots_.size()};
  }

 private:
  struct Slot {
    Key key{};
    std::int64_t revision = 0;
    std::shared_ptr<const Value> value;
    std::uint64_t last_used = 0;
  };
  const std::size_t capacity_;
  std::mutex mutex_;
  std::vector<Slot> slots_;
  std::uint64_t uses_ = 0;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};

}  // namespace psea
