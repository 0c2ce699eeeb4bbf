// A keyed blind index: equal identities give equal tags, so the CDT learns that a subject
// appears in other cases without anyone decrypting a name. The tag is HMAC-SHA-256 of the
// normalised identity under a key derived from the server key (server.key) for this purpose
// only. Whoever holds both the database and server.key can test guessed names against the
// tags (a dictionary attack); whoever holds only the database learns only which subjects
// repeat. Thread-safe (immutable after construction).
#pragma once

#include <string>
#include <string_view>

#include "security/crypto.h"

namespace psea::security {

class BlindIndex {
 public:
  // `server_key`: the 32-byte server key; `purpose` separates the indexes of different
  // fields ("cases.subject").
  BlindIndex(const SecretBytes& server_key, std::string_view purpose);

  // Lower-case ASCII letters, the other bytes kept, runs of spaces, dots, commas and hyphens
  // made one space, words sorted: "DOE, John" and "john  doe" are one identity.
  static std::string Normalise(std::string_view identity);
  // Hex tag of the normalised identity; empty when it normalises to nothing.
  std::string Tag(std::string_view identity) const;

 private:
  SecretBytes key_;
};

}  // namespace psea::security
