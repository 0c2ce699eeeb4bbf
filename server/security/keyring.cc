#include "security/keyring.h"

namespace psea::security {

void KeyRing::Put(std::int64_t session_id, UnlockedKey key, UnixMillis absolute_deadline,
                  UnixMillis now) {
  std::lock_guard lock(mutex_);
  keys_.insert_or_assign(session_id, Entry{std::move(key), absolute_deadline, now});
}

void KeyRing::Touch(std::int64_t session_id, UnixMillis now) {
  std::lock_guard lock(mutex_);
  auto found = keys_.find(session_id);
  if (found != keys_.end()) found->second.last_seen = now;
}

void KeyRing::Sweep(UnixMillis now, std::int64_t idle_millis) {
  std::lock_guard lock(mutex_);
  for (auto it = keys_.begin(); it != keys_.end();) {
    const bool dead =
        now >= it->second.absolute_deadline || now - it->second.last_seen > idle_millis;
    it = dead ? keys_.erase(it) : std::next(it);
  }
}

std::optional<UnlockedKey> KeyRing::Get(std::int64_t session_id) const {
  std::lock_guard lock(mutex_);
  auto found = keys_.find(session_id);
  if (found == keys_.end()) return std::nullopt;
  return found->second.key;
}

bool KeyRing::Has(std::int64_t session_id) const {
  std::lock_guard lock(mutex_);
  return keys_.count(session_id) > 0;
}

void KeyRing::Remove(std::int64_t session_id) {
  std::lock_guard lock(mutex_);
  keys_.erase(session_id);  // SecretBytes wipes itself
}

void KeyRing::RemoveUser(std::int64_t user_id) {
  std::lock_guard lock(mutex_);
  for (auto it = keys_.begin(); it != keys_.end();) {
    it = it->second.key.user_id == user_id ? keys_.erase(it) : std::next(it);
  }
}

std::size_t KeyRing::size() const {
  std::lock_guard lock(mutex_);
  return keys_.size();
}

}  // namespace psea::security
