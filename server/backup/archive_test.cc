#include "backup/archive.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "backup/manifest.h"

namespace psea::backup {
namespace {

namespace fs = std::filesystem;

class ArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "psea-archive-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    folder_ = pattern;
  }
  void TearDown() override { fs::remove_all(folder_); }
  static std::string Read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  fs::path folder_;
};

TEST_F(ArchiveTest, WritesAndExtractsInOrder) {
  const fs::path source = folder_ / "source";
  std::ofstream(source, std::ios::binary) << std::string(100000, 'x');
  const fs::path tar = folder_ / "a.tar";
  ASSERT_TRUE(WriteTarArchive(tar.string(), {{"manifest.json", "", "{}"},
                                             {"files/intake/1", source.string(), ""}})
                  .ok());
  EXPECT_EQ(fs::status(tar).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_FALSE(WriteTarArchive(tar.string(), {}).ok()) << "an existing file is never replaced";
  fs::create_directory(folder_ / "out");
  auto names = ExtractTarArchive(tar.string(), (folder_ / "out").string(), IsArchiveMemberName);
  ASSERT_TRUE(names.ok()) << names.status().message();
  EXPECT_EQ(*names, (std::vector<std::string>{"manifest.json", "files/intake/1"}));
  EXPECT_EQ(Read(folder_ / "out" / "files/intake/1"), std::string(100000, 'x'));
}

TEST_F(ArchiveTest, RefusesForeignTruncatedAndUnsafeInput) {
  const fs::path text = folder_ / "text";
  std::ofstream(text) << "SQLite format 3, or anything else\n";
  fs::create_directory(folder_ / "out1");
  auto foreign = ExtractTarArchive(text.string(), (folder_ / "out1").string(), IsArchiveMemberName);
  ASSERT_FALSE(foreign.ok());
  EXPECT_NE(foreign.status().message().find("not a psea backup"), std::string::npos);

  const fs::path tar = folder_ / "b.tar";
  ASSERT_TRUE(
      WriteTarArchive(tar.string(), {{"files/intake/1", "", std::string(50000, 'y')}}).ok());
  fs::resize_file(tar, 20000);
  fs::create_directory(folder_ / "out2");
  auto truncated =
      ExtractTarArchive(tar.string(), (folder_ / "out2").string(), IsArchiveMemberName);
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.status().message().find("truncated"), std::string::npos)
      << truncated.status().message();

  const fs::path unsafe = folder_ / "c.tar";
  ASSERT_TRUE(WriteTarArchive(unsafe.string(), {{"../escape", "", "x"}}).ok());
  fs::create_directory(folder_ / "out3");
  auto refused =
      ExtractTarArchive(unsafe.string(), (folder_ / "out3").string(), IsArchiveMemberName);
  ASSERT_FALSE(refused.ok());
  EXPECT_FALSE(fs::exists(folder_ / "escape"));
}

}  // namespace
}  // namespace psea::backup
