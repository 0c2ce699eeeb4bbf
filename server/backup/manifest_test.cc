#include "backup/manifest.h"

#include <gtest/gtest.h>

#include "backup/backup.h"

namespace psea::backup {
namespace {

Manifest Sample() {
  Manifest manifest;
  manifest.psea_version = "0.1.0";
  manifest.engine = "sqlite";
  manifest.created_at = "2026-12-04T20:00:00Z";
  manifest.schema = {{"accounts", 4}, {"audit", 1}};
  manifest.audit_entries = 12;
  manifest.audit_head_id = 12;
  manifest.audit_head_hash = std::string(64, 'a');
  manifest.parts = {{"database/psea.db", 4096, std::string(64, 'b')},
                    {"files/intake/7", 10, std::string(64, 'c')}};
  return manifest;
}

TEST(ManifestTest, RoundTripsThroughJson) {
  const Manifest manifest = Sample();
  const std::string json = ManifestToJson(manifest);
  EXPECT_NE(json.find("\"server_key_included\":false"), std::string::npos);
  auto parsed = ParseManifest(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->schema, manifest.schema);
  EXPECT_EQ(parsed->audit_head_hash, manifest.audit_head_hash);
  ASSERT_EQ(parsed->parts.size(), 2u);
  EXPECT_EQ(parsed->parts[1].name, "files/intake/7");
  EXPECT_EQ(parsed->parts[1].size, 10);
}

TEST(ManifestTest, RefusesWhatIsNotAManifest) {
  const std::string good = ManifestToJson(Sample());
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string text = good;
    text.replace(text.find(from), from.size(), to);
    return text;
  };
  const struct {
    std::string text;
    std::string expected;  // part of the message
  } cases[] = {
      {"", "not a JSON object"},
      {"[1]", "not a JSON object"},
      {replaced("\"psea-backup\"", "\"other\""), "format"},
      {replaced("\"format_version\":1", "\"format_version\":2"), "newer psea"},
      {replaced("\"sqlite\"", "\"oracle\""), "unknown engine"},
      {replaced("files/intake/7", "files/../server.key"), "unsafe part"},
      {replaced(std::string(64, 'c'), "abc"), "SHA-256"},
      {replaced("\"head_hash\"", "\"nothing\""), "audit anchor"},
  };
  for (const auto& test_case : cases) {
    auto parsed = ParseManifest(test_case.text);
    ASSERT_FALSE(parsed.ok()) << test_case.text;
    EXPECT_NE(parsed.status().message().find(test_case.expected), std::string::npos)
        << parsed.status().message();
  }
}

TEST(ManifestTest, PartNamesStayInsideTheirFolders) {
  for (const char* good : {"database/psea.db", "files/intake/3", "files/evidence/ab/cd"}) {
    EXPECT_TRUE(IsSafePartName(good)) << good;
  }
  for (const char* bad : {"", "psea.db", "/etc/passwd", "files/../x", "files//x", "files/./x",
                          "files/a b", "files/a\\b", "database/", "server.key"}) {
    EXPECT_FALSE(IsSafePartName(bad)) << bad;
  }
  EXPECT_TRUE(IsArchiveMemberName("manifest.json"));
}

TEST(ManifestTest, SchemaNewerThanTheBinaryIsRefused) {
  const std::map<std::string, int> known = {{"accounts", 4}, {"audit", 2}};
  EXPECT_TRUE(CheckSchemaKnown({{"accounts", 4}, {"audit", 1}}, known).ok());
  Status newer = CheckSchemaKnown({{"accounts", 5}}, known);
  EXPECT_EQ(newer.code(), ErrorCode::kUnprocessable);
  EXPECT_NE(newer.message().find("accounts schema is at version 5"), std::string::npos);
  EXPECT_FALSE(CheckSchemaKnown({{"cases", 1}}, known).ok());
}

TEST(ManifestTest, DatedArchivesAndPruning) {
  EXPECT_EQ(DatedArchiveName(0), "psea-backup-19700101-000000.tar");
  EXPECT_EQ(DateStamp(1'764'880'496), "20251204-203456");
  const std::vector<std::string> names = {
      "psea-backup-20261201-030000.tar", "psea-backup-20261203-030000.tar", "notes.txt",
      "psea-backup-20261202-030000.tar", "psea-backup-20261202-030000.tar.partial"};
  EXPECT_EQ(ArchivesToPrune(names, 2), std::vector<std::string>{"psea-backup-20261201-030000.tar"});
  EXPECT_TRUE(ArchivesToPrune(names, 3).empty());
  EXPECT_EQ(ArchivesToPrune(names, 1).size(), 2u);
}

TEST(PgUrlTest, PasswordLeavesTheUrl) {
  auto parsed = ParsePgUrl("postgresql://psea:s%40cret@db.internal:5433/psea_prod?sslmode=require");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->password, "s@cret");
  EXPECT_EQ(parsed->database, "psea_prod");
  EXPECT_EQ(parsed->url, "postgresql://psea@db.internal:5433/psea_prod?sslmode=require");
  EXPECT_EQ(PgUrlWithDatabase(parsed->url, "postgres"),
            "postgresql://psea@db.internal:5433/postgres?sslmode=require");
  EXPECT_EQ(PgUrlWithDatabase("postgresql://h", "x"), "postgresql://h/x");
  EXPECT_FALSE(ParsePgUrl("sqlite:/x").ok());
}

}  // namespace
}  // namespace psea::backup
