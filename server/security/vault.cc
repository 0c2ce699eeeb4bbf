#include "security/vault.h"

#include <algorithm>

#include <sodium.h>

#include <vector>

#include "core/log.h"

namespace psea::security {

namespace {
constexpr std::int64_t kRecoveryReader = 0;  // reader id of the organisation's recovery key

std::string ItemContext(std::int64_t item_id) {
  return "psea-vault-item:" + std::to_string(item_id);
}
std::string KeyContext(std::int64_t user_id, std::int64_t version) {
  return "psea-user-key:" + std::to_string(user_id) + ":" + std::to_string(version);
}

std::string UserOwner(std::int64_t user_id) { return "user:" + std::to_string(user_id); }
constexpr std::string_view kRecoveryOwner = "recovery";

void AppendField(std::string& out, std::string_view field) {
  // Length-prefixed so that no two different (owner, version, key) serialise alike.
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += ';';
}

Status RefuseKey(std::string_view owner) {
  log::Error("vault public key fails its MAC",
             {{"owner", std::string(owner)},
              {"meaning", "changed in the database outside psea; nothing is sealed for it"}});
  return Internal("the stored public key of " + std::string(owner) +
                  " does not match its MAC; refusing to seal for it (run psea vault verify)");
}
}  // namespace

std::string PublicKeyFingerprint(std::string_view public_key) {
  const std::string hex = HexEncode(Sha256(public_key));
  std::string grouped;
  for (std::size_t i = 0; i < hex.size(); i += 4) {
    if (i > 0) grouped += ' ';
    grouped += hex.substr(i, 4);
  }
  return grouped;
}

Vault::Vault(const Clock& clock, Argon2Cost cost, const SecretBytes& server_key)
    : clock_(clock),
      cost_(cost),
      // A subkey of its own, so that a MAC can never be mistaken for a CSRF token or another
      // use of the server key.
      mac_key_(HmacSha256(server_key.bytes(), "psea-vault-public-key-mac-v1")) {}

std::string Vault::PublicKeyMac(std::string_view owner, std::int64_t key_version,
                                std::string_view public_key) const {
  std::string message = "psea-vault-public-key-v1;";
  AppendField(message, owner);
  AppendField(message, std::to_string(key_version));
  AppendField(message, public_key);
  return HmacSha256(mac_key_.bytes(), message);
}

Result<Vault::StoredUserKey> Vault::VerifiedUserKey(storage::Connection& c,
                                                    std::int64_t user_id) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT key_version, public_key, public_key_mac FROM "
                                        "vault_user_keys WHERE user_id = ?",
                                        {user_id}));
  if (!row) return NotFound("user " + std::to_string(user_id) + " has no vault key");
  StoredUserKey key{row->Int(0), row->Bytes(1)};
  const std::string owner = UserOwner(user_id);
  if (row->IsNull(2) ||
      !ConstantTimeEquals(row->Bytes(2), PublicKeyMac(owner, key.version, key.public_key))) {
    return RefuseKey(owner);
  }
  return key;
}

Result<std::optional<std::string>> Vault::VerifiedRecoveryKey(storage::Connection& c) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT public_key, public_key_mac FROM vault_recovery "
                                        "WHERE singleton = 1"));
  if (!row) return std::optional<std::string>();
  if (row->IsNull(1) ||
      !ConstantTimeEquals(row->Bytes(1), PublicKeyMac(kRecoveryOwner, 0, row->Bytes(0)))) {
    return RefuseKey(kRecoveryOwner);
  }
  return std::optional<std::string>(row->Bytes(0));
}

Status Vault::CreateUserKeys(storage::Connection& c, std::int64_t user_id,
                             std::string_view password) const {
  KeyPair keys = GenerateKeyPair();
  const std::string salt = RandomBytes(kSaltBytes);
  ASSIGN_OR_RETURN(SecretBytes kek, DeriveKey(password, salt, cost_));
  ASSIGN_OR_RETURN(std::string sealed_private,
                   Encrypt(kek.bytes(), keys.private_key.bytes(), KeyContext(user_id, 1)));
  RETURN_IF_ERROR(
      c.Execute("INSERT INTO vault_user_keys (user_id, key_version, public_key, public_key_mac, "
                "private_key_sealed, kdf_salt, kdf_opslimit, kdf_memlimit, updated_at) "
                "VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?)",
                {user_id, storage::Blob{keys.public_key},
                 storage::Blob{PublicKeyMac(UserOwner(user_id), 1, keys.public_key)},
                 storage::Blob{sealed_private}, storage::Blob{salt},
                 static_cast<std::int64_t>(cost_.opslimit),
                 static_cast<std::int64_t>(cost_.memlimit), clock_.Now()}));
  return Status::Ok();
}

Result<UnlockedKey> Vault::UnlockUserKey(storage::Connection& c, std::int64_t user_id,
                                         std::string_view password) const {
  ASSIGN_OR_RETURN(auto row,
                   c.QueryOne("SELECT key_version, public_key, private_key_sealed, kdf_salt, "
                              "kdf_opslimit, kdf_memlimit FROM vault_user_keys WHERE user_id = ?",
                              {user_id}));
  if (!row) return NotFound("this user has no vault key");
  const std::int64_t version = row->Int(0);
  const Argon2Cost cost{static_cast<std::uint64_t>(row->Int(4)),
                        static_cast<std::size_t>(row->Int(5))};
  ASSIGN_OR_RETURN(SecretBytes kek, DeriveKey(password, row->Bytes(3), cost));
  auto private_key = Decrypt(kek.bytes(), row->Bytes(2), KeyContext(user_id, version));
  if (!private_key.ok()) {
    return Status(ErrorCode::kInvalidCredentials, "the password does not open the vault key");
  }
  UnlockedKey key;
  key.user_id = user_id;
  key.key_version = version;
  key.keys.public_key = row->Bytes(1);
  key.keys.private_key = SecretBytes(std::move(private_key).value());
  return key;
}

Status Vault::RewrapUserKey(storage::Connection& c, const UnlockedKey& key,
                            std::string_view new_password) const {
  const std::string salt = RandomBytes(kSaltBytes);
  ASSIGN_OR_RETURN(SecretBytes kek, DeriveKey(new_password, salt, cost_));
  ASSIGN_OR_RETURN(std::string sealed_private, Encrypt(kek.bytes(), key.keys.private_key.bytes(),
                                                       KeyContext(key.user_id, key.key_version)));
  ASSIGN_OR_RETURN(auto changed,
                   c.Execute("UPDATE vault_user_keys SET private_key_sealed = ?, kdf_salt = ?, "
                             "kdf_opslimit = ?, kdf_memlimit = ?, updated_at = ? "
                             "WHERE user_id = ? AND key_version = ?",
                             {storage::Blob{sealed_private}, storage::Blob{salt},
                              static_cast<std::int64_t>(cost_.opslimit),
                              static_cast<std::int64_t>(cost_.memlimit), clock_.Now(), key.user_id,
                              key.key_version}));
  if (changed != 1) return Conflict("the vault key changed meanwhile; sign in again");
  return Status::Ok();
}

Result<UnlockedKey> Vault::RotateUserKey(storage::Connection& c, const UnlockedKey& old_key,
                                         std::string_view new_password) const {
  // The new key pair is made here, so its wraps need no MAC check; a stored key that fails
  // its MAC is an incident to look into before anything is re-wrapped.
  RETURN_IF_ERROR(VerifiedUserKey(c, old_key.user_id).status());
  UnlockedKey rotated;
  rotated.user_id = old_key.user_id;
  rotated.key_version = old_key.key_version + 1;
  rotated.keys = GenerateKeyPair();
  const std::string salt = RandomBytes(kSaltBytes);
  ASSIGN_OR_RETURN(SecretBytes kek, DeriveKey(new_password, salt, cost_));
  ASSIGN_OR_RETURN(std::string sealed_private,
                   Encrypt(kek.bytes(), rotated.keys.private_key.bytes(),
                           KeyContext(rotated.user_id, rotated.key_version)));
  ASSIGN_OR_RETURN(
      auto changed,
      c.Execute(
          "UPDATE vault_user_keys SET key_version = ?, public_key = ?, public_key_mac = ?, "
          "private_key_sealed = ?, kdf_salt = ?, kdf_opslimit = ?, "
          "kdf_memlimit = ?, updated_at = ? WHERE user_id = ? AND key_version = ?",
          {rotated.key_version, storage::Blob{rotated.keys.public_key},
           storage::Blob{PublicKeyMac(UserOwner(rotated.user_id), rotated.key_version,
                                      rotated.keys.public_key)},
           storage::Blob{sealed_private}, storage::Blob{salt},
           static_cast<std::int64_t>(cost_.opslimit), static_cast<std::int64_t>(cost_.memlimit),
           clock_.Now(), rotated.user_id, old_key.key_version}));
  if (changed != 1) return Conflict("the vault key changed meanwhile; sign in again");
  ASSIGN_OR_RETURN(auto wraps, c.Query("SELECT item_id, wrapped_key FROM vault_item_keys WHERE "
                                       "reader_id = ? AND key_version = ?",
                                       {rotated.user_id, old_key.key_version}));
  for (const auto& row : wraps.rows) {
    ASSIGN_OR_RETURN(std::string data_key, OpenSealed(old_key.keys, row.Bytes(1)));
    SecretBytes wiped(data_key);
    Wipe(data_key);
    ASSIGN_OR_RETURN(std::string rewrapped, SealTo(rotated.keys.public_key, wiped.bytes()));
    RETURN_IF_ERROR(
        c.Execute("UPDATE vault_item_keys SET key_version = ?, wrapped_key = ? WHERE "
                  "item_id = ? AND reader_id = ?",
                  {rotated.key_version, storage::Blob{rewrapped}, row.Int(0), rotated.user_id}));
  }
  return rotated;
}

Status Vault::ResetUserKeys(storage::Connection& c, std::int64_t user_id,
                            std::string_view new_password) const {
  // Only the version is read: the reset replaces the key whatever its MAC says.
  ASSIGN_OR_RETURN(
      auto current,
      c.QueryOne("SELECT key_version FROM vault_user_keys WHERE user_id = ?", {user_id}));
  if (!current) return NotFound("user " + std::to_string(user_id) + " has no vault key");
  const std::int64_t version = current->Int(0) + 1;
  KeyPair keys = GenerateKeyPair();
  const std::string salt = RandomBytes(kSaltBytes);
  ASSIGN_OR_RETURN(SecretBytes kek, DeriveKey(new_password, salt, cost_));
  ASSIGN_OR_RETURN(std::string sealed_private,
                   Encrypt(kek.bytes(), keys.private_key.bytes(), KeyContext(user_id, version)));
  RETURN_IF_ERROR(c.Execute(
      "UPDATE vault_user_keys SET key_version = ?, public_key = ?, public_key_mac = ?, "
      "private_key_sealed = ?, kdf_salt = ?, kdf_opslimit = ?, kdf_memlimit = ?, updated_at = ? "
      "WHERE user_id = ?",
      {version, storage::Blob{keys.public_key},
       storage::Blob{PublicKeyMac(UserOwner(user_id), version, keys.public_key)},
       storage::Blob{sealed_private}, storage::Blob{salt},
       static_cast<std::int64_t>(cost_.opslimit), static_cast<std::int64_t>(cost_.memlimit),
       clock_.Now(), user_id}));
  return Status::Ok();
}

Status Vault::WrapFor(storage::Connection& c, std::int64_t item_id, std::string_view data_key,
                      std::int64_t reader, bool fresh) const {
  ASSIGN_OR_RETURN(auto reader_key, VerifiedUserKey(c, reader));
  ASSIGN_OR_RETURN(std::string wrapped, SealTo(reader_key.public_key, data_key));
  if (!fresh) {
    RETURN_IF_ERROR(c.Execute("DELETE FROM vault_item_keys WHERE item_id = ? AND reader_id = ?",
                              {item_id, reader}));
  }
  RETURN_IF_ERROR(
      c.Execute("INSERT INTO vault_item_keys (item_id, reader_id, key_version, "
                "wrapped_key, created_at) VALUES (?, ?, ?, ?, ?)",
                {item_id, reader, reader_key.version, storage::Blob{wrapped}, clock_.Now()}));
  return Status::Ok();
}

Result<std::int64_t> Vault::Seal(storage::Connection& c, std::string_view kind,
                                 std::string_view plaintext,
                                 const std::vector<std::int64_t>& readers) const {
  ASSIGN_OR_RETURN(auto recovery, VerifiedRecoveryKey(c));
  if (readers.empty() && !recovery) return Internal("an item needs at least one reader");
  ASSIGN_OR_RETURN(auto inserted,
                   c.QueryOne("INSERT INTO vault_items (kind, ciphertext, created_at) "
                              "VALUES (?, ?, ?) RETURNING id",
                              {std::string(kind), storage::Blob{}, clock_.Now()}));
  const std::int64_t item_id = inserted->Int(0);
  SecretBytes data_key(GenerateSymmetricKey());
  ASSIGN_OR_RETURN(std::string ciphertext,
                   Encrypt(data_key.bytes(), plaintext, ItemContext(item_id)));
  RETURN_IF_ERROR(c.Execute("UPDATE vault_items SET ciphertext = ? WHERE id = ?",
                            {storage::Blob{ciphertext}, item_id}));
  std::vector<std::int64_t> unique_readers = readers;
  std::sort(unique_readers.begin(), unique_readers.end());
  unique_readers.erase(std::unique(unique_readers.begin(), unique_readers.end()),
                       unique_readers.end());
  for (std::int64_t reader : unique_readers)
    RETURN_IF_ERROR(WrapFor(c, item_id, data_key.bytes(), reader, /*fresh=*/true));
  if (recovery) {
    ASSIGN_OR_RETURN(std::string wrapped, SealTo(*recovery, data_key.bytes()));
    RETURN_IF_ERROR(
        c.Execute("INSERT INTO vault_item_keys (item_id, reader_id, key_version, "
                  "wrapped_key, created_at) VALUES (?, ?, 0, ?, ?)",
                  {item_id, kRecoveryReader, storage::Blob{wrapped}, clock_.Now()}));
  }
  return item_id;
}

Result<std::string> Vault::UnwrapDataKey(storage::Connection& c, std::int64_t item_id,
                                         const UnlockedKey& reader) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT key_version, wrapped_key FROM vault_item_keys "
                                        "WHERE item_id = ? AND reader_id = ?",
                                        {item_id, reader.user_id}));
  if (!row) return NotFound("no such item");
  if (row->Int(0) != reader.key_version) {
    return PermissionDenied(
        "your access to this record was lost when your password was reset; ask a colleague "
        "to grant it again");
  }
  auto data_key = OpenSealed(reader.keys, row->Bytes(1));
  if (!data_key.ok()) return data_key.status();
  return std::move(data_key).value();
}

Result<std::string> Vault::Open(storage::Connection& c, std::int64_t item_id,
                                const UnlockedKey& reader) const {
  ASSIGN_OR_RETURN(std::string data_key, UnwrapDataKey(c, item_id, reader));
  SecretBytes wiped(data_key);
  Wipe(data_key);
  ASSIGN_OR_RETURN(auto row,
                   c.QueryOne("SELECT ciphertext FROM vault_items WHERE id = ?", {item_id}));
  if (!row) return NotFound("no such item");
  return Decrypt(wiped.bytes(), row->Bytes(0), ItemContext(item_id));
}

Status Vault::Grant(storage::Connection& c, std::int64_t item_id, const UnlockedKey& granter,
                    std::int64_t new_reader) const {
  ASSIGN_OR_RETURN(std::string data_key, UnwrapDataKey(c, item_id, granter));
  SecretBytes wiped(data_key);
  Wipe(data_key);
  return WrapFor(c, item_id, wiped.bytes(), new_reader);
}

Status Vault::Revoke(storage::Connection& c, std::int64_t item_id, std::int64_t reader) const {
  RETURN_IF_ERROR(c.Execute("DELETE FROM vault_item_keys WHERE item_id = ? AND reader_id = ?",
                            {item_id, reader}));
  return Status::Ok();
}

Result<std::int64_t> Vault::DeleteItems(storage::Connection& c,
                                        const std::vector<std::int64_t>& item_ids) const {
  std::int64_t deleted = 0;
  for (std::int64_t item_id : item_ids) {
    RETURN_IF_ERROR(c.Execute("DELETE FROM vault_item_keys WHERE item_id = ?", {item_id}));
    ASSIGN_OR_RETURN(std::int64_t changed,
                     c.Execute("DELETE FROM vault_items WHERE id = ?", {item_id}));
    deleted += changed;
  }
  return deleted;
}

Result<std::vector<std::int64_t>> Vault::Readers(storage::Connection& c,
                                                 std::int64_t item_id) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT reader_id FROM vault_item_keys WHERE item_id = ? "
                                      "AND reader_id <> 0 ORDER BY reader_id",
                                      {item_id}));
  std::vector<std::int64_t> readers;
  for (const auto& row : rows.rows) readers.push_back(row.Int(0));
  return readers;
}

Result<Vault::SealedFile> Vault::SealFile(storage::Connection& c, std::istream& in,
                                          std::ostream& out,
                                          const std::vector<std::int64_t>& readers) const {
  SecretBytes file_key(GenerateSymmetricKey());
  SealedFile sealed;
  std::string digest;
  RETURN_IF_ERROR(EncryptStream(file_key.bytes(), in, out, &sealed.size, &digest));
  sealed.sha256_hex = HexEncode(digest);
  ASSIGN_OR_RETURN(sealed.key_item_id, Seal(c, "file-key", file_key.bytes(), readers));
  return sealed;
}

Status Vault::OpenFile(storage::Connection& c, std::int64_t key_item_id, const UnlockedKey& reader,
                       std::istream& in, std::ostream& out) const {
  ASSIGN_OR_RETURN(std::string file_key, Open(c, key_item_id, reader));
  SecretBytes wiped(file_key);
  Wipe(file_key);
  return DecryptStream(wiped.bytes(), in, out);
}

Result<bool> Vault::HasRecoveryKey(storage::Connection& c) const {
  ASSIGN_OR_RETURN(auto key, VerifiedRecoveryKey(c));
  return key.has_value();
}

Result<std::string> Vault::InitRecovery(storage::Connection& c) const {
  ASSIGN_OR_RETURN(auto existing, c.QueryOne("SELECT 1 FROM vault_recovery"));
  if (existing) return Conflict("a recovery key exists already");
  KeyPair keys = GenerateKeyPair();
  RETURN_IF_ERROR(
      c.Execute("INSERT INTO vault_recovery (singleton, public_key, public_key_mac, created_at) "
                "VALUES (1, ?, ?, ?)",
                {storage::Blob{keys.public_key},
                 storage::Blob{PublicKeyMac(kRecoveryOwner, 0, keys.public_key)}, clock_.Now()}));
  return Base64Encode(keys.private_key.bytes());
}

Result<KeyPair> Vault::RecoveryKeyFrom(storage::Connection& c,
                                       std::string_view recovery_private_key_base64) const {
  auto decoded = Base64Decode(recovery_private_key_base64);
  if (!decoded.ok()) return InvalidArgument("the recovery key is not valid base64", "recovery_key");
  KeyPair recovery;
  recovery.private_key = SecretBytes(std::move(decoded).value());
  auto public_key = PublicKeyOf(recovery.private_key.bytes());
  if (!public_key.ok())
    return InvalidArgument("the recovery key has the wrong length", "recovery_key");
  recovery.public_key = *public_key;
  ASSIGN_OR_RETURN(auto stored, VerifiedRecoveryKey(c));
  if (!stored || !ConstantTimeEquals(*stored, recovery.public_key)) {
    return InvalidArgument("this is not the organisation's recovery key", "recovery_key");
  }
  return recovery;
}

Result<std::int64_t> Vault::GrantFromRecovery(storage::Connection& c,
                                              const std::vector<std::int64_t>& item_ids,
                                              std::string_view recovery_private_key_base64,
                                              std::int64_t new_reader) const {
  ASSIGN_OR_RETURN(KeyPair recovery, RecoveryKeyFrom(c, recovery_private_key_base64));
  std::int64_t granted = 0;
  for (std::int64_t item_id : item_ids) {
    ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT wrapped_key FROM vault_item_keys WHERE "
                                          "item_id = ? AND reader_id = 0",
                                          {item_id}));
    if (!row) continue;  // sealed before the recovery key existed
    ASSIGN_OR_RETURN(std::string data_key, OpenSealed(recovery, row->Bytes(0)));
    SecretBytes wiped(data_key);
    Wipe(data_key);
    RETURN_IF_ERROR(WrapFor(c, item_id, wiped.bytes(), new_reader));
    ++granted;
  }
  return granted;
}

Result<std::int64_t> Vault::RevokeEverything(storage::Connection& c, std::int64_t reader) const {
  if (reader == kRecoveryReader) return InvalidArgument("the recovery key keeps its wraps");
  return c.Execute("DELETE FROM vault_item_keys WHERE reader_id = ?", {reader});
}

Result<std::int64_t> Vault::RecoverUser(storage::Connection& c, std::int64_t user_id,
                                        std::string_view recovery_private_key_base64) const {
  ASSIGN_OR_RETURN(KeyPair recovery, RecoveryKeyFrom(c, recovery_private_key_base64));
  ASSIGN_OR_RETURN(auto current, VerifiedUserKey(c, user_id));
  ASSIGN_OR_RETURN(auto stale,
                   c.Query("SELECT u.item_id, r.wrapped_key FROM vault_item_keys u "
                           "JOIN vault_item_keys r ON r.item_id = u.item_id AND r.reader_id = 0 "
                           "WHERE u.reader_id = ? AND u.key_version <> ?",
                           {user_id, current.version}));
  std::int64_t rewrapped = 0;
  for (const auto& row : stale.rows) {
    ASSIGN_OR_RETURN(std::string data_key, OpenSealed(recovery, row.Bytes(1)));
    SecretBytes wiped(data_key);
    Wipe(data_key);
    RETURN_IF_ERROR(WrapFor(c, row.Int(0), wiped.bytes(), user_id));
    ++rewrapped;
  }
  return rewrapped;
}

Result<std::optional<std::string>> Vault::RecoveryFingerprint(storage::Connection& c) const {
  ASSIGN_OR_RETURN(auto key, VerifiedRecoveryKey(c));
  if (!key) return std::optional<std::string>();
  return std::optional<std::string>(PublicKeyFingerprint(*key));
}

Result<VaultKeyCheck> Vault::CheckPublicKeys(storage::Connection& c) const {
  VaultKeyCheck check;
  ASSIGN_OR_RETURN(auto recovery, c.QueryOne("SELECT public_key, public_key_mac FROM "
                                             "vault_recovery WHERE singleton = 1"));
  if (recovery) {
    check.recovery_key_present = true;
    check.recovery_fingerprint = PublicKeyFingerprint(recovery->Bytes(0));
    check.recovery_key_mac_ok =
        !recovery->IsNull(1) &&
        ConstantTimeEquals(recovery->Bytes(1), PublicKeyMac(kRecoveryOwner, 0, recovery->Bytes(0)));
  }
  RETURN_IF_ERROR(c.ForEachRow(
      "SELECT user_id, key_version, public_key, public_key_mac FROM vault_user_keys "
      "ORDER BY user_id",
      {}, [&](const storage::Row& row) -> Status {
        ++check.user_keys_checked;
        const bool ok = !row.IsNull(3) &&
                        ConstantTimeEquals(row.Bytes(3), PublicKeyMac(UserOwner(row.Int(0)),
                                                                      row.Int(1), row.Bytes(2)));
        if (!ok) check.users_bad_mac.push_back(row.Int(0));
        return Status::Ok();
      }));
  return check;
}

Result<std::int64_t> Vault::BindUnboundPublicKeys(storage::Connection& c) const {
  ASSIGN_OR_RETURN(auto pending,
                   c.QueryOne("SELECT pending FROM vault_key_binding WHERE singleton = 1"));
  if (!pending || pending->Int(0) == 0) return std::int64_t{0};
  std::int64_t bound = 0;
  ASSIGN_OR_RETURN(auto users, c.Query("SELECT user_id, key_version, public_key FROM "
                                       "vault_user_keys WHERE public_key_mac IS NULL"));
  for (const auto& row : users.rows) {
    RETURN_IF_ERROR(c.Execute(
        "UPDATE vault_user_keys SET public_key_mac = ? WHERE user_id = ? AND key_version = ?",
        {storage::Blob{PublicKeyMac(UserOwner(row.Int(0)), row.Int(1), row.Bytes(2))}, row.Int(0),
         row.Int(1)}));
    ++bound;
  }
  ASSIGN_OR_RETURN(auto recovery, c.QueryOne("SELECT public_key FROM vault_recovery WHERE "
                                             "singleton = 1 AND public_key_mac IS NULL"));
  if (recovery) {
    RETURN_IF_ERROR(
        c.Execute("UPDATE vault_recovery SET public_key_mac = ? WHERE singleton = 1",
                  {storage::Blob{PublicKeyMac(kRecoveryOwner, 0, recovery->Bytes(0))}}));
    ++bound;
  }
  RETURN_IF_ERROR(c.Execute("UPDATE vault_key_binding SET pending = 0 WHERE singleton = 1"));
  return bound;
}

std::vector<storage::Migration> Vault::Migrations() {
  return {{"vault", 1, "vault keys and items", R"sql(
CREATE TABLE vault_user_keys (
  user_id BIGINT PRIMARY KEY,
  key_version BIGINT NOT NULL,
  public_key {{BLOB}} NOT NULL,
  private_key_sealed {{BLOB}} NOT NULL,
  kdf_salt {{BLOB}} NOT NULL,
  kdf_opslimit BIGINT NOT NULL,
  kdf_memlimit BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE vault_items (
  id {{ID}},
  kind TEXT NOT NULL,
  ciphertext {{BLOB}} NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE vault_item_keys (
  item_id BIGINT NOT NULL REFERENCES vault_items (id) ON DELETE CASCADE,
  reader_id BIGINT NOT NULL,
  key_version BIGINT NOT NULL,
  wrapped_key {{BLOB}} NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (item_id, reader_id)
);
CREATE INDEX vault_item_keys_reader ON vault_item_keys (reader_id);
CREATE TABLE vault_recovery (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  public_key {{BLOB}} NOT NULL,
  created_at BIGINT NOT NULL
);
)sql"},
          // The MACs are computed in C++ (they need the server key): BindUnboundPublicKeys
          // fills them in once, while `pending` is 1.
          {"vault", 2, "public keys carry a MAC under the server key", R"sql(
ALTER TABLE vault_user_keys ADD COLUMN public_key_mac {{BLOB}};
ALTER TABLE vault_recovery ADD COLUMN public_key_mac {{BLOB}};
CREATE TABLE vault_key_binding (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  pending INTEGER NOT NULL
);
INSERT INTO vault_key_binding (singleton, pending) VALUES (1, 1);
)sql"}};
}

namespace {
constexpr std::size_t kChunkBytes = 64 * 1024;
}

Status EncryptStream(std::string_view key, std::istream& in, std::ostream& out,
                     std::uint64_t* plaintext_size, std::string* sha256) {
  if (key.size() != crypto_secretstream_xchacha20poly1305_KEYBYTES) return Internal("bad file key");
  crypto_secretstream_xchacha20poly1305_state state;
  unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  crypto_secretstream_xchacha20poly1305_init_push(
      &state, header, reinterpret_cast<const unsigned char*>(key.data()));
  out.write(reinterpret_cast<const char*>(header), sizeof header);
  crypto_hash_sha256_state hash;
  crypto_hash_sha256_init(&hash);
  std::vector<unsigned char> plain(kChunkBytes);
  std::vector<unsigned char> cipher(kChunkBytes + crypto_secretstream_xchacha20poly1305_ABYTES);
  std::uint64_t total = 0;
  // Read one chunk ahead so that the last chunk carries the FINAL tag (detects truncation).
  in.read(reinterpret_cast<char*>(plain.data()), kChunkBytes);
  std::streamsize have = in.gcount();
  while (true) {
    std::vector<unsigned char> next(kChunkBytes);
    std::streamsize next_have = 0;
    if (have == static_cast<std::streamsize>(kChunkBytes)) {
      in.read(reinterpret_cast<char*>(next.data()), kChunkBytes);
      next_have = in.gcount();
    }
    const bool last = next_have == 0;
    unsigned long long written = 0;
    crypto_hash_sha256_update(&hash, plain.data(), static_cast<unsigned long long>(have));
    crypto_secretstream_xchacha20poly1305_push(
        &state, cipher.data(), &written, plain.data(), static_cast<unsigned long long>(have),
        nullptr, 0, last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
    out.write(reinterpret_cast<const char*>(cipher.data()), static_cast<std::streamsize>(written));
    total += static_cast<std::uint64_t>(have);
    if (last) break;
    plain.swap(next);
    have = next_have;
  }
  sodium_memzero(plain.data(), plain.size());
  if (!out) return Unavailable("could not write the encrypted file");
  if (plaintext_size) *plaintext_size = total;
  if (sha256) {
    sha256->assign(crypto_hash_sha256_BYTES, '\0');
    crypto_hash_sha256_final(&hash, reinterpret_cast<unsigned char*>(sha256->data()));
  }
  return Status::Ok();
}

Status DecryptStream(std::string_view key, std::istream& in, std::ostream& out) {
  if (key.size() != crypto_secretstream_xchacha20poly1305_KEYBYTES) return Internal("bad file key");
  unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  in.read(reinterpret_cast<char*>(header), sizeof header);
  if (in.gcount() != static_cast<std::streamsize>(sizeof header)) {
    return Unprocessable("the encrypted file is truncated");
  }
  crypto_secretstream_xchacha20poly1305_state state;
  if (crypto_secretstream_xchacha20poly1305_init_pull(
          &state, header, reinterpret_cast<const unsigned char*>(key.data())) != 0) {
    return Unprocessable("the encrypted file has a bad header");
  }
  const std::size_t cipher_chunk = kChunkBytes + crypto_secretstream_xchacha20poly1305_ABYTES;
  std::vector<unsigned char> cipher(cipher_chunk);
  std::vector<unsigned char> plain(kChunkBytes);
  while (true) {
    in.read(reinterpret_cast<char*>(cipher.data()), static_cast<std::streamsize>(cipher_chunk));
    const std::streamsize got = in.gcount();
    if (got == 0) return Unprocessable("the encrypted file is truncated");
    unsigned long long written = 0;
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(
            &state, plain.data(), &written, &tag, cipher.data(),
            static_cast<unsigned long long>(got), nullptr, 0) != 0) {
      return Unprocessable("the encrypted file does not authenticate: wrong key or tampered data");
    }
    out.write(reinterpret_cast<const char*>(plain.data()), static_cast<std::streamsize>(written));
    if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
      if (in.peek() != std::char_traits<char>::eof()) {
        return Unprocessable("the encrypted file has data after its end");
      }
      break;
    }
  }
  sodium_memzero(plain.data(), plain.size());
  return Status::Ok();
}

}  // namespace psea::security
