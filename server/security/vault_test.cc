// The vault on both engines, set up on its own: user ids 1, 2 and 3 get keys directly
// (vault_user_keys has no foreign key to users), no accounts module involved.
#include "security/vault.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "storage/sqlite/sqlite_database.h"
#include "storage/testing/test_databases.h"

namespace psea::security {
namespace {

using storage::Connection;
using storage::Engine;
using storage::Value;
using storage::testdb::ReadFileBytes;
using storage::testdb::TemporaryFile;
using ::testing::ElementsAre;

constexpr UnixMillis kStart = 1795883729000;  // 2026-11-28T16:35:29Z
constexpr std::int64_t kAlice = 1;
constexpr std::int64_t kBob = 2;
constexpr std::int64_t kCarol = 3;
constexpr std::size_t kHeaderBytes = 24;                   // secretstream header
constexpr std::size_t kChunkBytes = 64 * 1024;             // plaintext per chunk
constexpr std::size_t kCipherChunkBytes = 64 * 1024 + 17;  // plus tag and MAC

std::string PasswordOf(std::int64_t user_id) {
  return "password of user " + std::to_string(user_id) + " is long";
}

// Deterministic bytes that do not repeat within a chunk.
std::string TestBytes(std::size_t size) {
  std::string bytes(size, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    bytes[i] = static_cast<char>((i * 2654435761u) >> 13);
  }
  return bytes;
}

std::string FlipByte(std::string bytes, std::size_t position) {
  bytes[position] = static_cast<char>(bytes[position] ^ 0x5a);
  return bytes;
}

class VaultTest : public storage::testdb::EngineTest {
 protected:
  static void SetUpTestSuite() {
    InitCrypto();
    EngineTest::SetUpTestSuite();
  }

  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto migrated = storage::Migrate(db(), Vault::Migrations(), storage::InstanceKind::kProduction);
    ASSERT_TRUE(migrated.ok()) << migrated.status().ToString();
    for (std::int64_t user_id : {kAlice, kBob, kCarol}) {
      const Status created = Write(
          [&](Connection& c) { return vault_.CreateUserKeys(c, user_id, PasswordOf(user_id)); });
      ASSERT_TRUE(created.ok()) << created.ToString();
    }
  }

  Status Write(const std::function<Status(Connection&)>& work) {
    return db().WriteTransaction(work);
  }

  Result<UnlockedKey> Unlock(std::int64_t user_id, const std::string& password) {
    return db().Read<UnlockedKey>(
        [&](Connection& c) { return vault_.UnlockUserKey(c, user_id, password); });
  }
  // The key of a user whose password was not changed; fails the test otherwise.
  UnlockedKey KeyOf(std::int64_t user_id) {
    auto key = Unlock(user_id, PasswordOf(user_id));
    EXPECT_TRUE(key.ok()) << key.status().ToString();
    return key.ok() ? std::move(key).value() : UnlockedKey{};
  }

  Result<std::int64_t> Seal(const std::string& plaintext, const std::vector<std::int64_t>& readers,
                            const std::string& kind = "note") {
    return db().Write<std::int64_t>(
        [&](Connection& c) { return vault_.Seal(c, kind, plaintext, readers); });
  }
  std::int64_t SealOrFail(const std::string& plaintext, const std::vector<std::int64_t>& readers) {
    auto item = Seal(plaintext, readers);
    EXPECT_TRUE(item.ok()) << item.status().ToString();
    return item.ok() ? *item : -1;
  }

  Result<std::string> Open(std::int64_t item_id, const UnlockedKey& reader) {
    return db().Read<std::string>([&](Connection& c) { return vault_.Open(c, item_id, reader); });
  }

  Result<std::vector<std::int64_t>> Readers(std::int64_t item_id) {
    return db().Read<std::vector<std::int64_t>>(
        [&](Connection& c) { return vault_.Readers(c, item_id); });
  }

  Result<Vault::SealedFile> SealFile(const std::string& content,
                                     const std::vector<std::int64_t>& readers,
                                     std::string* encrypted) {
    std::istringstream in(content);
    std::ostringstream out;
    auto sealed = db().Write<Vault::SealedFile>(
        [&](Connection& c) { return vault_.SealFile(c, in, out, readers); });
    *encrypted = out.str();
    return sealed;
  }

  Result<std::string> OpenFile(std::int64_t key_item_id, const UnlockedKey& reader,
                               const std::string& encrypted) {
    std::istringstream in(encrypted);
    std::ostringstream out;
    const Status opened = db().ReadTransaction(
        [&](Connection& c) { return vault_.OpenFile(c, key_item_id, reader, in, out); });
    if (!opened.ok()) return opened;
    return out.str();
  }

  Result<std::string> InitRecovery() {
    return db().Write<std::string>([&](Connection& c) { return vault_.InitRecovery(c); });
  }

  Result<std::int64_t> RecoverUser(std::int64_t user_id, const std::string& recovery_key) {
    return db().Write<std::int64_t>(
        [&](Connection& c) { return vault_.RecoverUser(c, user_id, recovery_key); });
  }

  Status ResetKeys(std::int64_t user_id, const std::string& new_password) {
    return Write([&](Connection& c) { return vault_.ResetUserKeys(c, user_id, new_password); });
  }

  Status Execute(const std::string& sql, const storage::Params& params) {
    auto lease = db().Acquire();
    if (!lease.ok()) return lease.status();
    return (*lease)->Execute(sql, params).status();
  }

  Result<std::string> ReadBlob(const std::string& sql, std::int64_t id) {
    return db().Read<std::string>([&](Connection& c) -> Result<std::string> {
      ASSIGN_OR_RETURN(auto row, c.QueryOne(sql, {Value(id)}));
      if (!row) return NotFound("no row");
      return row->Bytes(0);
    });
  }

  FakeClock clock_{kStart};
  Vault vault_{clock_, CostFromProfile("fast"), SecretBytes(std::string(32, 'k'))};
};

TEST_P(VaultTest, PasswordUnlocksTheUsersKey) {
  auto key = Unlock(kAlice, PasswordOf(kAlice));
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->user_id, kAlice);
  EXPECT_EQ(key->key_version, 1);
  EXPECT_EQ(key->keys.public_key.size(), 32u);
  auto public_key = PublicKeyOf(key->keys.private_key.bytes());
  ASSERT_TRUE(public_key.ok());
  EXPECT_EQ(*public_key, key->keys.public_key);
  EXPECT_NE(KeyOf(kBob).keys.public_key, key->keys.public_key);
}

TEST_P(VaultTest, WrongPasswordIsInvalidCredentials) {
  for (const std::string& password :
       {std::string(""), PasswordOf(kBob), PasswordOf(kAlice) + " "}) {
    auto key = Unlock(kAlice, password);
    ASSERT_FALSE(key.ok()) << password;
    EXPECT_EQ(key.status().code(), ErrorCode::kInvalidCredentials) << password;
  }
  EXPECT_EQ(Unlock(99, "whatever").status().code(), ErrorCode::kNotFound);
}

TEST_P(VaultTest, UserKeysAreCreatedOnce) {
  const Status again =
      Write([&](Connection& c) { return vault_.CreateUserKeys(c, kAlice, "another password"); });
  EXPECT_EQ(again.code(), ErrorCode::kConflict) << again.ToString();
  EXPECT_TRUE(Unlock(kAlice, PasswordOf(kAlice)).ok());
}

TEST_P(VaultTest, ItemOpensForItsReadersOnly) {
  const std::int64_t item = SealOrFail("Name: Jane Doe", {kAlice, kBob});
  for (std::int64_t reader : {kAlice, kBob}) {
    auto opened = Open(item, KeyOf(reader));
    ASSERT_TRUE(opened.ok()) << reader << ": " << opened.status().ToString();
    EXPECT_EQ(*opened, "Name: Jane Doe");
  }
  auto carol = Open(item, KeyOf(kCarol));
  ASSERT_FALSE(carol.ok());
  EXPECT_EQ(carol.status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(Open(item + 1000, KeyOf(kAlice)).status().code(), ErrorCode::kNotFound);

  auto readers = Readers(item);
  ASSERT_TRUE(readers.ok());
  EXPECT_THAT(*readers, ElementsAre(kAlice, kBob));
}

TEST_P(VaultTest, SealingNeedsReadersWithKeys) {
  EXPECT_FALSE(Seal("nobody may read this", {}).ok());
  auto unknown = Seal("for a user without keys", {kAlice, 99});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), ErrorCode::kNotFound);
  // Nothing of the failed seal was kept.
  auto count = db().Read<std::optional<storage::Row>>(
      [](Connection& c) { return c.QueryOne("SELECT COUNT(*) FROM vault_items"); });
  ASSERT_TRUE(count.ok() && count->has_value());
  EXPECT_EQ((*count)->Int(0), 0);
}

TEST_P(VaultTest, GrantAndRevoke) {
  const std::int64_t item = SealOrFail("narrative", {kAlice, kBob});
  const UnlockedKey alice = KeyOf(kAlice);
  const UnlockedKey carol = KeyOf(kCarol);

  // Carol cannot grant herself what she cannot read.
  EXPECT_EQ(Write([&](Connection& c) { return vault_.Grant(c, item, carol, kCarol); }).code(),
            ErrorCode::kNotFound);
  ASSERT_TRUE(Write([&](Connection& c) { return vault_.Grant(c, item, alice, kCarol); }).ok());
  auto opened = Open(item, carol);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, "narrative");
  EXPECT_THAT(*Readers(item), ElementsAre(kAlice, kBob, kCarol));

  ASSERT_TRUE(Write([&](Connection& c) { return vault_.Revoke(c, item, kBob); }).ok());
  EXPECT_EQ(Open(item, KeyOf(kBob)).status().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(Open(item, alice).ok());
  EXPECT_TRUE(Open(item, carol).ok());
  EXPECT_THAT(*Readers(item), ElementsAre(kAlice, kCarol));

  EXPECT_EQ(Write([&](Connection& c) { return vault_.Grant(c, item, alice, 99); }).code(),
            ErrorCode::kNotFound);
}

TEST_P(VaultTest, PasswordChangeKeepsAccess) {
  const std::int64_t item = SealOrFail("kept", {kAlice});
  const UnlockedKey before = KeyOf(kAlice);
  ASSERT_TRUE(Write([&](Connection& c) {
                return vault_.RewrapUserKey(c, before, "a brand new password");
              }).ok());
  EXPECT_EQ(Unlock(kAlice, PasswordOf(kAlice)).status().code(), ErrorCode::kInvalidCredentials);
  auto after = Unlock(kAlice, "a brand new password");
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(after->key_version, before.key_version);
  EXPECT_EQ(after->keys.public_key, before.keys.public_key);
  auto opened = Open(item, *after);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, "kept");
}

TEST_P(VaultTest, RewrapOfAStaleKeyConflicts) {
  const UnlockedKey stale = KeyOf(kAlice);
  ASSERT_TRUE(ResetKeys(kAlice, "reset by an admin").ok());
  EXPECT_EQ(
      Write([&](Connection& c) { return vault_.RewrapUserKey(c, stale, "new password"); }).code(),
      ErrorCode::kConflict);
  EXPECT_TRUE(Unlock(kAlice, "reset by an admin").ok());
}

TEST_P(VaultTest, AdminResetLosesAccessUntilGrantedAgain) {
  const std::int64_t item = SealOrFail("lost", {kAlice, kBob});
  const UnlockedKey old_key = KeyOf(kAlice);
  ASSERT_TRUE(ResetKeys(kAlice, "reset by an admin").ok());

  EXPECT_EQ(Unlock(kAlice, PasswordOf(kAlice)).status().code(), ErrorCode::kInvalidCredentials);
  auto new_key = Unlock(kAlice, "reset by an admin");
  ASSERT_TRUE(new_key.ok()) << new_key.status().ToString();
  EXPECT_EQ(new_key->key_version, 2);
  EXPECT_NE(new_key->keys.public_key, old_key.keys.public_key);

  auto opened = Open(item, *new_key);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), ErrorCode::kPermissionDenied);

  // New items are sealed for the new key; a colleague can grant the old one again.
  const std::int64_t fresh = SealOrFail("fresh", {kAlice});
  EXPECT_EQ(*Open(fresh, *new_key), "fresh");
  const UnlockedKey bob = KeyOf(kBob);
  ASSERT_TRUE(Write([&](Connection& c) { return vault_.Grant(c, item, bob, kAlice); }).ok());
  EXPECT_EQ(*Open(item, *new_key), "lost");
}

TEST_P(VaultTest, RecoveryKeyRestoresAccessAfterReset) {
  auto recovery_key = InitRecovery();
  ASSERT_TRUE(recovery_key.ok()) << recovery_key.status().ToString();
  auto decoded = Base64Decode(*recovery_key);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->size(), 32u);

  const std::int64_t first = SealOrFail("first", {kAlice});
  const std::int64_t second = SealOrFail("second", {kAlice, kBob});
  const std::int64_t not_hers = SealOrFail("bob only", {kBob});
  EXPECT_THAT(*Readers(first), ElementsAre(kAlice));  // the recovery key is not a reader

  ASSERT_TRUE(ResetKeys(kAlice, "reset by an admin").ok());
  auto key = Unlock(kAlice, "reset by an admin");
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(Open(first, *key).status().code(), ErrorCode::kPermissionDenied);

  auto rewrapped = RecoverUser(kAlice, *recovery_key);
  ASSERT_TRUE(rewrapped.ok()) << rewrapped.status().ToString();
  EXPECT_EQ(*rewrapped, 2);
  EXPECT_EQ(*Open(first, *key), "first");
  EXPECT_EQ(*Open(second, *key), "second");
  EXPECT_EQ(Open(not_hers, *key).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(*Open(second, KeyOf(kBob)), "second");

  auto again = RecoverUser(kAlice, *recovery_key);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);  // nothing stale any more
}

TEST_P(VaultTest, RecoveryRefusesOtherKeys) {
  ASSERT_TRUE(InitRecovery().ok());
  const std::string wrong_keys[] = {
      Base64Encode(GenerateKeyPair().private_key.bytes()),  // a key, not the organisation's
      "not base64 at all!",
      Base64Encode("too short"),
      "",
  };
  for (const std::string& wrong : wrong_keys) {
    auto recovered = RecoverUser(kAlice, wrong);
    ASSERT_FALSE(recovered.ok()) << wrong;
    EXPECT_EQ(recovered.status().code(), ErrorCode::kInvalidArgument) << wrong;
    EXPECT_EQ(recovered.status().field(), "recovery_key") << wrong;
  }
}

TEST_P(VaultTest, RecoveryWithoutARecoveryKeyIsRefused) {
  auto recovered = RecoverUser(kAlice, Base64Encode(GenerateKeyPair().private_key.bytes()));
  EXPECT_EQ(recovered.status().code(), ErrorCode::kInvalidArgument);
}

TEST_P(VaultTest, RecoveryKeyIsCreatedOnce) {
  auto first = InitRecovery();
  ASSERT_TRUE(first.ok());
  auto second = InitRecovery();
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), ErrorCode::kConflict);
  // The first key still works.
  const std::int64_t item = SealOrFail("x", {kAlice});
  ASSERT_TRUE(ResetKeys(kAlice, "reset by an admin").ok());
  EXPECT_EQ(*RecoverUser(kAlice, *first), 1);
  EXPECT_EQ(*Open(item, *Unlock(kAlice, "reset by an admin")), "x");
}

TEST_P(VaultTest, TamperedItemsFailLoudly) {
  const std::int64_t item = SealOrFail("the original", {kAlice});
  const std::int64_t other = SealOrFail("another one", {kAlice});
  auto ciphertext = ReadBlob("SELECT ciphertext FROM vault_items WHERE id = ?", item);
  auto other_ciphertext = ReadBlob("SELECT ciphertext FROM vault_items WHERE id = ?", other);
  auto wrapped =
      ReadBlob("SELECT wrapped_key FROM vault_item_keys WHERE item_id = ? AND reader_id = 1", item);
  ASSERT_TRUE(ciphertext.ok() && other_ciphertext.ok() && wrapped.ok());
  EXPECT_EQ(ciphertext->find("the original"), std::string::npos);

  struct Case {
    const char* label;
    const char* sql;
    std::string bytes;
  };
  const Case cases[] = {
      {"flipped ciphertext byte", "UPDATE vault_items SET ciphertext = ? WHERE id = ?",
       FlipByte(*ciphertext, ciphertext->size() / 2)},
      {"truncated ciphertext", "UPDATE vault_items SET ciphertext = ? WHERE id = ?",
       ciphertext->substr(0, ciphertext->size() - 1)},
      {"another item's ciphertext", "UPDATE vault_items SET ciphertext = ? WHERE id = ?",
       *other_ciphertext},
      {"flipped wrapped key byte",
       "UPDATE vault_item_keys SET wrapped_key = ? WHERE item_id = ? AND reader_id = 1",
       FlipByte(*wrapped, wrapped->size() / 2)},
  };
  const UnlockedKey alice = KeyOf(kAlice);
  for (const Case& c : cases) {
    ASSERT_TRUE(Execute(c.sql, {Value(storage::Blob{c.bytes}), Value(item)}).ok()) << c.label;
    auto opened = Open(item, alice);
    ASSERT_FALSE(opened.ok()) << c.label;
    EXPECT_EQ(opened.status().code(), ErrorCode::kUnprocessable) << c.label;
    // Put the original back for the next case.
    ASSERT_TRUE(Execute("UPDATE vault_items SET ciphertext = ? WHERE id = ?",
                        {Value(storage::Blob{*ciphertext}), Value(item)})
                    .ok());
    ASSERT_TRUE(Execute("UPDATE vault_item_keys SET wrapped_key = ? WHERE item_id = ? AND "
                        "reader_id = 1",
                        {Value(storage::Blob{*wrapped}), Value(item)})
                    .ok());
    ASSERT_EQ(*Open(item, alice), "the original");
  }
}

TEST_P(VaultTest, FilesRoundTripInChunks) {
  struct Case {
    const char* label;
    std::size_t size;
    std::size_t chunks;
  };
  const Case cases[] = {
      {"empty", 0, 1},
      {"one byte", 1, 1},
      {"exactly one chunk", kChunkBytes, 1},
      {"exactly two chunks", 2 * kChunkBytes, 2},
      {"about 200 KB", 200 * 1024 + 7, 4},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    const std::string content = TestBytes(c.size);
    std::string encrypted;
    auto sealed = SealFile(content, {kAlice, kBob}, &encrypted);
    ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
    EXPECT_EQ(sealed->size, c.size);
    EXPECT_EQ(sealed->sha256_hex, HexEncode(Sha256(content)));
    EXPECT_EQ(encrypted.size(), kHeaderBytes + c.size + c.chunks * 17);
    if (c.size >= 64) {
      EXPECT_EQ(encrypted.find(content.substr(c.size / 2, 32)), std::string::npos);
    }
    for (std::int64_t reader : {kAlice, kBob}) {
      auto opened = OpenFile(sealed->key_item_id, KeyOf(reader), encrypted);
      ASSERT_TRUE(opened.ok()) << opened.status().ToString();
      EXPECT_TRUE(*opened == content) << "reader " << reader;
    }
    EXPECT_EQ(OpenFile(sealed->key_item_id, KeyOf(kCarol), encrypted).status().code(),
              ErrorCode::kNotFound);
  }
  EXPECT_EQ(HexEncode(Sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_P(VaultTest, DamagedFilesAreRefused) {
  const std::string content = TestBytes(200 * 1024 + 7);  // four chunks
  std::string encrypted;
  auto sealed = SealFile(content, {kAlice}, &encrypted);
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  std::string other_encrypted;
  auto other = SealFile(content, {kAlice}, &other_encrypted);
  ASSERT_TRUE(other.ok());

  const std::size_t chunk1 = kHeaderBytes;
  const std::size_t chunk2 = kHeaderBytes + kCipherChunkBytes;
  const std::size_t chunk3 = kHeaderBytes + 2 * kCipherChunkBytes;
  const std::string reordered =
      encrypted.substr(0, chunk1) + encrypted.substr(chunk2, kCipherChunkBytes) +
      encrypted.substr(chunk1, kCipherChunkBytes) + encrypted.substr(chunk3);
  struct Case {
    const char* label;
    std::string stream;
  };
  const Case cases[] = {
      {"empty", ""},
      {"part of the header", encrypted.substr(0, 10)},
      {"header only", encrypted.substr(0, kHeaderBytes)},
      {"cut inside the first chunk", encrypted.substr(0, chunk1 + 1000)},
      {"cut after the first chunk", encrypted.substr(0, chunk2)},
      {"final chunk missing", encrypted.substr(0, kHeaderBytes + 3 * kCipherChunkBytes)},
      {"last byte missing", encrypted.substr(0, encrypted.size() - 1)},
      {"data after the end", encrypted + "x"},
      {"flipped header byte", FlipByte(encrypted, 5)},
      {"flipped byte in the second chunk", FlipByte(encrypted, chunk2 + 100)},
      {"flipped byte in the final chunk", FlipByte(encrypted, encrypted.size() - 5)},
      {"chunks reordered", reordered},
      {"another file's stream", other_encrypted},
  };
  const UnlockedKey alice = KeyOf(kAlice);
  for (const Case& c : cases) {
    auto opened = OpenFile(sealed->key_item_id, alice, c.stream);
    ASSERT_FALSE(opened.ok()) << c.label;
    EXPECT_EQ(opened.status().code(), ErrorCode::kUnprocessable) << c.label;
  }
  EXPECT_TRUE(OpenFile(sealed->key_item_id, alice, encrypted).ok());
}

TEST_P(VaultTest, StreamEncryptionReportsSizeAndDigest) {
  const std::string key = GenerateSymmetricKey();
  const std::string content = TestBytes(3 * kChunkBytes + 1);
  std::istringstream in(content);
  std::ostringstream out;
  std::uint64_t size = 0;
  std::string digest;
  ASSERT_TRUE(EncryptStream(key, in, out, &size, &digest).ok());
  EXPECT_EQ(size, content.size());
  EXPECT_EQ(digest, Sha256(content));

  std::istringstream encrypted(out.str());
  std::ostringstream decrypted;
  ASSERT_TRUE(DecryptStream(key, encrypted, decrypted).ok());
  EXPECT_TRUE(decrypted.str() == content);

  std::istringstream again(out.str());
  std::ostringstream ignored;
  EXPECT_EQ(DecryptStream(GenerateSymmetricKey(), again, ignored).code(),
            ErrorCode::kUnprocessable);
  EXPECT_EQ(DecryptStream("short key", again, ignored).code(), ErrorCode::kInternal);
}

// What an attacker with the database (or its backup) reads: no sealed plaintext, no password.
// A marker stored in clear on purpose (the item kind) shows that the search does see data.
TEST_P(VaultTest, NothingSealedIsReadableAtRest) {
  const std::string kVisible = "CONTROL-KIND-IN-CLEAR-9E44";
  const std::array<std::string, 4> kMarkers = {
      "MARKER-VICTIM-NAME-7F3A",
      "MARKER-NARRATIVE-0C91",
      "MARKER-FILE-CONTENT-52D8",
      "MARKER-PASSWORD-B6E1",
  };
  const std::string password = "long " + kMarkers[3] + " passphrase";
  ASSERT_TRUE(Write([&](Connection& c) { return vault_.CreateUserKeys(c, 4, password); }).ok());
  ASSERT_TRUE(InitRecovery().ok());
  auto name = Seal("Victim: " + kMarkers[0] + ", 14 years old", {kAlice, kBob, 4}, kVisible);
  ASSERT_TRUE(name.ok()) << name.status().ToString();
  std::string narrative;
  for (int i = 0; i < 200; ++i)
    narrative += "Line " + std::to_string(i) + ": " + kMarkers[1] + "\n";
  auto narrative_item = Seal(narrative, {kAlice});
  ASSERT_TRUE(narrative_item.ok());
  const UnlockedKey alice = KeyOf(kAlice);
  const UnlockedKey bob = KeyOf(kBob);
  ASSERT_TRUE(
      Write([&](Connection& c) { return vault_.Grant(c, *narrative_item, alice, kCarol); }).ok());
  ASSERT_TRUE(Write([&](Connection& c) {
                return vault_.RewrapUserKey(c, bob, "bob's second password");
              }).ok());

  // An evidence file, encrypted into a file on disk.
  TemporaryFile encrypted_file("vault_marker_file");
  std::string file_content = TestBytes(150 * 1024);
  for (std::size_t at = 0; at + 100 < file_content.size(); at += 10000) {
    file_content.replace(at, kMarkers[2].size(), kMarkers[2]);
  }
  {
    std::istringstream in(file_content);
    std::ofstream out(encrypted_file.path(), std::ios::binary);
    auto sealed = db().Write<Vault::SealedFile>(
        [&](Connection& c) { return vault_.SealFile(c, in, out, {kAlice}); });
    ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  }
  const std::string file_bytes = ReadFileBytes(encrypted_file.path());
  ASSERT_GT(file_bytes.size(), file_content.size());

  auto forms_of = [](const std::string& marker) {
    const std::string hex = HexEncode(marker);
    std::string upper_hex = hex;
    for (char& c : upper_hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return std::vector<std::string>{marker, hex, upper_hex};
  };
  auto expect_no_marker = [&](const std::string& what, const std::string& bytes) {
    for (const std::string& marker : kMarkers) {
      for (const std::string& form : forms_of(marker)) {
        EXPECT_EQ(bytes.find(form), std::string::npos) << marker << " readable in " << what;
      }
    }
  };
  expect_no_marker("the encrypted file", file_bytes);

  std::vector<std::pair<std::string, std::string>> at_rest;  // what, bytes
  if (engine() == Engine::kSqlite) {
    TemporaryFile backup("vault_marker_backup");
    const Status backed_up = storage::BackupSqlite(sqlite_path(), backup.path());
    ASSERT_TRUE(backed_up.ok()) << backed_up.ToString();
    CloseDatabase();
    at_rest.emplace_back("the database file", ReadFileBytes(sqlite_path()));
    at_rest.emplace_back("the write-ahead log", ReadFileBytes(sqlite_path() + "-wal"));
    at_rest.emplace_back("the backup", ReadFileBytes(backup.path()));
  } else {
    const char* bin = std::getenv("PG_BIN");
    const std::string pg_dump = std::string(bin ? bin : "/usr/lib/postgresql/15/bin") + "/pg_dump";
    const std::string command = pg_dump + " --no-owner --dbname='" + url() + "' 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr) << command;
    std::string dump;
    std::array<char, 65536> buffer;
    for (std::size_t got; (got = fread(buffer.data(), 1, buffer.size(), pipe)) > 0;) {
      dump.append(buffer.data(), got);
    }
    ASSERT_EQ(pclose(pipe), 0) << command << ":\n" << dump.substr(0, 2000);
    ASSERT_NE(dump.find("vault_items"), std::string::npos) << dump.substr(0, 2000);
    at_rest.emplace_back("pg_dump", dump);
  }
  for (const auto& [what, bytes] : at_rest) {
    if (what != "the write-ahead log") {
      EXPECT_NE(bytes.find(kVisible), std::string::npos) << "the control marker is not in " << what;
    }
    expect_no_marker(what, bytes);
  }
}

PSEA_INSTANTIATE_ENGINE_TEST(VaultTest);

// The public-key MACs. The attacker writes the database directly (every table is theirs) but
// holds no server key, unless a case says so.
class VaultKeyMacTest : public VaultTest {
 protected:
  Result<VaultKeyCheck> Check() {
    return db().Read<VaultKeyCheck>([&](Connection& c) { return vault_.CheckPublicKeys(c); });
  }
  Result<std::optional<std::string>> Fingerprint() {
    return db().Read<std::optional<std::string>>(
        [&](Connection& c) { return vault_.RecoveryFingerprint(c); });
  }
  Result<std::int64_t> Bind() {
    return db().Write<std::int64_t>([&](Connection& c) { return vault_.BindUnboundPublicKeys(c); });
  }
  std::int64_t Count(const std::string& sql) {
    auto count = db().Read<std::int64_t>([&](Connection& c) -> Result<std::int64_t> {
      ASSIGN_OR_RETURN(auto row, c.QueryOne(sql));
      return row->Int(0);
    });
    EXPECT_TRUE(count.ok()) << count.status().ToString();
    return count.ok() ? *count : -1;
  }
  Status SwapUserKey(std::int64_t user_id, const std::string& public_key) {
    return Execute("UPDATE vault_user_keys SET public_key = ? WHERE user_id = ?",
                   {storage::Blob{public_key}, Value(user_id)});
  }
};

TEST_P(VaultKeyMacTest, StoredKeysVerify) {
  ASSERT_TRUE(InitRecovery().ok());
  auto check = Check();
  ASSERT_TRUE(check.ok()) << check.status().ToString();
  EXPECT_TRUE(check->recovery_key_present);
  EXPECT_TRUE(check->recovery_key_mac_ok);
  EXPECT_EQ(check->user_keys_checked, 3);
  EXPECT_TRUE(check->users_bad_mac.empty());
  auto fingerprint = Fingerprint();
  ASSERT_TRUE(fingerprint.ok() && fingerprint->has_value());
  EXPECT_EQ(**fingerprint, check->recovery_fingerprint);
  // The keys written by rotation and reset verify too.
  ASSERT_TRUE(ResetKeys(kBob, "reset by an admin").ok());
  auto rotated = db().Write<UnlockedKey>([&](Connection& c) {
    return vault_.RotateUserKey(c, KeyOf(kCarol), "carol's own new password");
  });
  ASSERT_TRUE(rotated.ok()) << rotated.status().ToString();
  check = Check();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->users_bad_mac.empty());
  EXPECT_TRUE(Seal("x", {kAlice, kBob, kCarol}).ok());
}

TEST_P(VaultKeyMacTest, ASwappedUserKeyMakesSealAndGrantRefuse) {
  const std::int64_t earlier = SealOrFail("sealed before", {kAlice});
  const KeyPair attacker = GenerateKeyPair();
  ASSERT_TRUE(SwapUserKey(kBob, attacker.public_key).ok());
  const std::int64_t items_before = Count("SELECT COUNT(*) FROM vault_items");

  auto sealed = Seal("Name: Jane Doe", {kAlice, kBob});
  ASSERT_FALSE(sealed.ok());
  EXPECT_EQ(sealed.status().code(), ErrorCode::kInternal);
  EXPECT_THAT(sealed.status().message(), ::testing::HasSubstr("user:2"));
  // Nothing half-sealed: the item and its wraps rolled back with the transaction.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM vault_items"), items_before);
  const Status granted =
      Write([&](Connection& c) { return vault_.Grant(c, earlier, KeyOf(kAlice), kBob); });
  EXPECT_EQ(granted.code(), ErrorCode::kInternal);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM vault_item_keys WHERE reader_id = 2"), 0);

  auto check = Check();
  ASSERT_TRUE(check.ok());
  EXPECT_THAT(check->users_bad_mac, ElementsAre(kBob));
  // Everyone else is unaffected.
  EXPECT_EQ(*Open(earlier, KeyOf(kAlice)), "sealed before");
  EXPECT_TRUE(Seal("for alice and carol", {kAlice, kCarol}).ok());
}

TEST_P(VaultKeyMacTest, AMacIsBoundToItsOwnerAndVersion) {
  // Bob's genuine key and MAC copied to Carol's row: the MAC names Bob.
  ASSERT_TRUE(Execute("UPDATE vault_user_keys SET public_key = (SELECT public_key FROM "
                      "vault_user_keys WHERE user_id = 2), public_key_mac = (SELECT "
                      "public_key_mac FROM vault_user_keys WHERE user_id = 2) WHERE user_id = 3",
                      {})
                  .ok());
  EXPECT_EQ(Seal("x", {kCarol}).status().code(), ErrorCode::kInternal);
  // Alice's own key under another version.
  ASSERT_TRUE(Execute("UPDATE vault_user_keys SET key_version = 2 WHERE user_id = 1", {}).ok());
  EXPECT_EQ(Seal("x", {kAlice}).status().code(), ErrorCode::kInternal);
  auto check = Check();
  ASSERT_TRUE(check.ok());
  EXPECT_THAT(check->users_bad_mac, ElementsAre(kAlice, kCarol));
}

TEST_P(VaultKeyMacTest, ASwappedRecoveryKeyIsCaught) {
  ASSERT_TRUE(InitRecovery().ok());
  auto genuine = Check();
  ASSERT_TRUE(genuine.ok());
  const std::string recorded_fingerprint = genuine->recovery_fingerprint;

  const KeyPair attacker = GenerateKeyPair();
  ASSERT_TRUE(
      Execute("UPDATE vault_recovery SET public_key = ?", {storage::Blob{attacker.public_key}})
          .ok());
  auto check = Check();
  ASSERT_TRUE(check.ok());
  EXPECT_FALSE(check->recovery_key_mac_ok);
  EXPECT_NE(check->recovery_fingerprint, recorded_fingerprint);
  EXPECT_EQ(Seal("x", {kAlice}).status().code(), ErrorCode::kInternal);
  EXPECT_EQ(Fingerprint().status().code(), ErrorCode::kInternal);

  // An attacker who also read server.key can forge the MAC; the fingerprint kept off the
  // server still tells the keys apart.
  ASSERT_TRUE(Execute("UPDATE vault_recovery SET public_key_mac = ?",
                      {storage::Blob{vault_.PublicKeyMac("recovery", 0, attacker.public_key)}})
                  .ok());
  check = Check();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->recovery_key_mac_ok);
  EXPECT_EQ(check->recovery_fingerprint, PublicKeyFingerprint(attacker.public_key));
  EXPECT_NE(check->recovery_fingerprint, recorded_fingerprint);
}

TEST_P(VaultKeyMacTest, KeysWithoutAMacAreBoundOnceOnly) {
  ASSERT_TRUE(InitRecovery().ok());
  // As after the upgrade: no MACs yet, binding pending (the migration left it so).
  ASSERT_TRUE(Execute("UPDATE vault_user_keys SET public_key_mac = NULL", {}).ok());
  ASSERT_TRUE(Execute("UPDATE vault_recovery SET public_key_mac = NULL", {}).ok());
  EXPECT_EQ(Seal("x", {kAlice}).status().code(), ErrorCode::kInternal);
  auto bound = Bind();
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  EXPECT_EQ(*bound, 4);  // three users and the recovery key
  auto check = Check();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->recovery_key_mac_ok);
  EXPECT_TRUE(check->users_bad_mac.empty());
  EXPECT_TRUE(Seal("x", {kAlice}).ok());

  // Later, a key whose MAC was removed stays refused: binding happens once.
  ASSERT_TRUE(SwapUserKey(kBob, GenerateKeyPair().public_key).ok());
  ASSERT_TRUE(
      Execute("UPDATE vault_user_keys SET public_key_mac = NULL WHERE user_id = 2", {}).ok());
  bound = Bind();
  ASSERT_TRUE(bound.ok());
  EXPECT_EQ(*bound, 0);
  EXPECT_EQ(Seal("x", {kBob}).status().code(), ErrorCode::kInternal);
}

PSEA_INSTANTIATE_ENGINE_TEST(VaultKeyMacTest);

TEST(PublicKeyFingerprintTest, IsGroupedHexSha256) {
  const std::string key(32, '\x01');
  const std::string fingerprint = PublicKeyFingerprint(key);
  EXPECT_EQ(fingerprint.size(), 64u + 15u);
  std::string digits;
  for (std::size_t i = 0; i < fingerprint.size(); ++i) {
    if (i % 5 == 4) {
      EXPECT_EQ(fingerprint[i], ' ') << i;
    } else {
      digits += fingerprint[i];
    }
  }
  EXPECT_EQ(digits, HexEncode(Sha256(key)));
  EXPECT_NE(PublicKeyFingerprint(std::string(32, '\x02')), fingerprint);
}

}  // namespace
}  // namespace psea::security
