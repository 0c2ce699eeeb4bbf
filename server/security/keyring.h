// Unlocked private keys, held in memory per session and wiped when the session ends.
// Thread-safe. Nothing here is ever written to disk.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "security/vault.h"

namespace psea::security {

class KeyRing {
 public:
  // `absolute_deadline`: the session's hard end; the key is dropped then at the latest.
  void Put(std::int64_t session_id, UnlockedKey key, UnixMillis absolute_deadline, UnixMillis now);
  // Records activity, for the idle timeout.
  void Touch(std::int64_t session_id, UnixMillis now);
  // Wipes the keys of sessions past their deadline or idle for longer than `idle_millis`.
  void Sweep(UnixMillis now, std::int64_t idle_millis);
  // A copy of the key for the duration of a request; nullopt when locked.
  std::optional<UnlockedKey> Get(std::int64_t session_id) const;
  bool Has(std::int64_t session_id) const;
  void Remove(std::int64_t session_id);
  // Drops every session's key of one user (password reset, disabling).
  void RemoveUser(std::int64_t user_id);
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  struct Entry {
    UnlockedKey key;
    UnixMillis absolute_deadline;
    UnixMillis last_seen;
  };
  std::map<std::int64_t, Entry> keys_;
};

}  // namespace psea::security
