// The server's own 32-byte secret, kept in DATA_DIR/server.key (mode 0600), generated on
// first start. It keys the CSRF tokens and encrypts TOTP secrets at rest. It is not a vault
// key: it cannot open any victim's or reporter's data. Every server of one deployment must
// share the file (copy it with the same care as a TLS private key).
#pragma once

#include <string>

#include "core/result.h"
#include "security/crypto.h"

namespace psea::security {

// Creates the key (and the folder) only when `may_create` (a command that creates databases, on
// a database with no users yet); otherwise a missing key is kNotFound (field "data-dir") and
// nothing is created: it decrypts the 2FA secrets, so it must be restored from the backup.
Result<SecretBytes> LoadOrCreateServerKey(const std::string& data_dir, bool may_create = true);

}  // namespace psea::security
