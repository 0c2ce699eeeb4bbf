// The vault: identities, narratives and attachments encrypted so that a stolen database, a
// backup or an administrator with shell access reads nothing.
//
//  - Each user has an X25519 key pair. The private key is stored only encrypted under a key
//    derived from the user's password (Argon2id); it is unlocked into memory for the life of
//    a session (see KeyRing) and never written anywhere in clear.
//  - Each protected item has its own random data key (XChaCha20-Poly1305). The data key is
//    stored wrapped (sealed box) once for each user who may read the item, and once for the
//    organisation's recovery key when one is configured.
//  - Sealing needs only public keys, so anonymous intake encrypts to its readers without the
//    server being able to decrypt afterwards: it forgets the data key when Seal returns.
//  - An administrator's password reset gives the user a new key pair: the user's old wraps no
//    longer open, until a colleague re-grants or `psea vault recover-user` re-wraps them.
//  - Every stored public key (each user's and the recovery key) carries an HMAC-SHA-256 under a
//    key derived from the server key (server.key), bound to its owner and key version. Whoever
//    can write the database but not read server.key cannot put a public key of their own in
//    place of a reader's: Seal, Grant and recovery refuse (kInternal, logged) to wrap for a key
//    whose MAC does not verify. Keys stored before the MAC existed are bound once, on the first
//    start after the upgrade (BindUnboundPublicKeys): that start trusts what it finds.
//
// All methods run inside the caller's transaction; none audits (callers audit). Only a public
// key that fails its MAC is logged, as an error, where it is found.
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "security/crypto.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace psea::security {

// A user's private key, unlocked for a session.
struct UnlockedKey {
  std::int64_t user_id = 0;
  std::int64_t key_version = 0;
  KeyPair keys;
};

// The fingerprint of a public key, for people to compare: hex SHA-256 in 16 groups of four
// digits separated by spaces ("3f2a 9c01 ...").
std::string PublicKeyFingerprint(std::string_view public_key);

// What `psea vault verify` reports: every stored public key whose MAC fails or is missing.
struct VaultKeyCheck {
  bool recovery_key_present = false;
  bool recovery_key_mac_ok = false;  // meaningful when present
  std::string recovery_fingerprint;  // of the stored key, when present
  std::int64_t user_keys_checked = 0;
  std::vector<std::int64_t> users_bad_mac;  // user ids, ascending
};

class Vault {
 public:
  // `server_key` is the 32-byte server key; the public-key MAC key is derived from it (the
  // server key itself is not kept).
  Vault(const Clock& clock, Argon2Cost cost, const SecretBytes& server_key);

  // Keys of users.
  Status CreateUserKeys(storage::Connection& c, std::int64_t user_id,
                        std::string_view password) const;
  // kInvalidCredentials when the password does not open the key.
  Result<UnlockedKey> UnlockUserKey(storage::Connection& c, std::int64_t user_id,
                                    std::string_view password) const;
  // Re-encrypts the (unchanged) private key under a new password.
  Status RewrapUserKey(storage::Connection& c, const UnlockedKey& key,
                       std::string_view new_password) const;
  // A user's own password change: a new key pair sealed under `new_password`, and every item
  // the old key opens re-wrapped for the new one. Whoever knew the old password (the
  // administrator who set it) can no longer open the key that reads the user's records.
  Result<UnlockedKey> RotateUserKey(storage::Connection& c, const UnlockedKey& old_key,
                                    std::string_view new_password) const;
  // A new key pair under `new_password`; items sealed for the old key stop opening for this user.
  Status ResetUserKeys(storage::Connection& c, std::int64_t user_id,
                       std::string_view new_password) const;

  // Items. `readers` are user ids; the recovery key is added when configured.
  Result<std::int64_t> Seal(storage::Connection& c, std::string_view kind,
                            std::string_view plaintext,
                            const std::vector<std::int64_t>& readers) const;
  // kNotFound when the item does not exist or `reader` holds no key for it (the caller may not
  // learn which); kPermissionDenied when the reader's key was reset since the grant.
  Result<std::string> Open(storage::Connection& c, std::int64_t item_id,
                           const UnlockedKey& reader) const;
  // `granter` must already read the item.
  Status Grant(storage::Connection& c, std::int64_t item_id, const UnlockedKey& granter,
               std::int64_t new_reader) const;
  Status Revoke(storage::Connection& c, std::int64_t item_id, std::int64_t reader) const;
  // Deletes every wrap `reader` holds (a role change or a disabled account ends all access at
  // once). Returns how many were deleted.
  Result<std::int64_t> RevokeEverything(storage::Connection& c, std::int64_t reader) const;
  Result<std::vector<std::int64_t>> Readers(storage::Connection& c, std::int64_t item_id) const;
  // Destroys items for good (retention): their wraps, then the items. Ids that do not exist are
  // skipped. Returns how many items were deleted.
  Result<std::int64_t> DeleteItems(storage::Connection& c,
                                   const std::vector<std::int64_t>& item_ids) const;

  // Files: the content streams through in 64 KiB chunks (secretstream), never held whole.
  // The file's data key is kept as a vault item of kind "file-key" sealed for `readers`.
  struct SealedFile {
    std::int64_t key_item_id = 0;
    std::uint64_t size = 0;
    std::string sha256_hex;  // of the plaintext, for evidence integrity
  };
  Result<SealedFile> SealFile(storage::Connection& c, std::istream& in, std::ostream& out,
                              const std::vector<std::int64_t>& readers) const;
  Status OpenFile(storage::Connection& c, std::int64_t key_item_id, const UnlockedKey& reader,
                  std::istream& in, std::ostream& out) const;

  Result<bool> HasRecoveryKey(storage::Connection& c) const;

  // Recovery. InitRecovery returns the private half once (base64) and stores the public half;
  // kConflict when a recovery key exists already.
  Result<std::string> InitRecovery(storage::Connection& c) const;
  // Re-wraps for the user's current key every item whose wrap for this user went stale.
  // Returns how many items were re-wrapped. kInvalidArgument when the key does not match.
  Result<std::int64_t> RecoverUser(storage::Connection& c, std::int64_t user_id,
                                   std::string_view recovery_private_key_base64) const;

  // Wraps for `new_reader` each of `item_ids` that has a recovery copy (the first reader of an
  // installation is designated this way). Returns how many were granted; kInvalidArgument
  // when the key is not the organisation's recovery key.
  Result<std::int64_t> GrantFromRecovery(storage::Connection& c,
                                         const std::vector<std::int64_t>& item_ids,
                                         std::string_view recovery_private_key_base64,
                                         std::int64_t new_reader) const;
  // The fingerprint of the stored recovery key; nullopt when none is configured. kInternal
  // when its MAC does not verify.
  Result<std::optional<std::string>> RecoveryFingerprint(storage::Connection& c) const;

  // Checks the MAC of every stored public key; problems are in the report, not the status.
  Result<VaultKeyCheck> CheckPublicKeys(storage::Connection& c) const;

  // Trust on first use: the first call after the migration that added the MACs gives every
  // public key stored without one its MAC, then records that binding happened; later calls
  // bind nothing (a key whose MAC was removed stays refused). Returns how many keys were bound.
  Result<std::int64_t> BindUnboundPublicKeys(storage::Connection& c) const;

  static std::vector<storage::Migration> Migrations();

  // The MAC of `public_key` for its owner ("user:<id>" or "recovery") and key version
  // (exposed for tests that tamper like an attacker who holds the server key).
  std::string PublicKeyMac(std::string_view owner, std::int64_t key_version,
                           std::string_view public_key) const;

 private:
  Result<KeyPair> RecoveryKeyFrom(storage::Connection& c,
                                  std::string_view recovery_private_key_base64) const;
  struct StoredUserKey {
    std::int64_t version = 0;
    std::string public_key;
  };
  // The user's current public key after its MAC verified (kInternal and a log line when not).
  Result<StoredUserKey> VerifiedUserKey(storage::Connection& c, std::int64_t user_id) const;
  Result<std::optional<std::string>> VerifiedRecoveryKey(storage::Connection& c) const;

  Result<std::string> UnwrapDataKey(storage::Connection& c, std::int64_t item_id,
                                    const UnlockedKey& reader) const;
  // `fresh`: the item was just created, so it has no wrap to replace.
  Status WrapFor(storage::Connection& c, std::int64_t item_id, std::string_view data_key,
                 std::int64_t reader, bool fresh = false) const;

  const Clock& clock_;
  Argon2Cost cost_;
  SecretBytes mac_key_;
};

// Streaming encryption with crypto_secretstream_xchacha20poly1305 (exposed for tests).
Status EncryptStream(std::string_view key, std::istream& in, std::ostream& out,
                     std::uint64_t* plaintext_size = nullptr, std::string* sha256 = nullptr);
// kUnprocessable on tampering, truncation or a wrong key.
Status DecryptStream(std::string_view key, std::istream& in, std::ostream& out);

}  // namespace psea::security
