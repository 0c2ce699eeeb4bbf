#include "modules/intake/report_catalog.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "modules/intake/contact.h"
#include "modules/intake/handlers.h"

namespace psea::intake {
namespace {

namespace fs = std::filesystem;

const std::string kShippedFolder = std::string(PSEA_SOURCE_DIR) + "/data/i18n/report";

// A folder of catalogs written for one test, removed after it.
class CatalogFolder {
 public:
  CatalogFolder() {
    path_ = fs::temp_directory_path() /
            ("psea-catalogs-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(path_);
  }
  ~CatalogFolder() { fs::remove_all(path_); }
  void Write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name, std::ios::binary) << text;
  }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

const std::vector<std::string_view> kTwoKeys = {"greeting", "farewell"};

TEST(ReportCatalogs, TheShippedCatalogsCoverThePage) {
  auto loaded = LoadReportCatalogs(kShippedFolder, {"fr", "en", "sg"}, PublicPageKeys());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_EQ(loaded->catalogs.size(), 3u);
  const auto& french = loaded->catalogs[0];
  const auto& english = loaded->catalogs[1];
  const auto& sango = loaded->catalogs[2];
  EXPECT_EQ(french.code, "fr");
  EXPECT_EQ(french.name, "Français");
  EXPECT_EQ(english.name, "English");
  EXPECT_FALSE(french.needs_review);
  EXPECT_FALSE(english.needs_review);
  // French and English are complete and know no stray key: every warning is about Sango.
  for (const auto& warning : loaded->warnings) {
    EXPECT_EQ(warning.rfind("sg.json: ", 0), 0u) << warning;
    EXPECT_EQ(warning.find("unknown key"), std::string::npos) << warning;
  }
  EXPECT_TRUE(sango.needs_review);
  EXPECT_EQ(sango.name, "Sängö");
  EXPECT_EQ(sango.texts.at("where"), "Na ndo wa?");
  EXPECT_EQ(sango.texts.at("intro"), french.texts.at("intro"));  // not translated yet
  for (const auto& catalog : loaded->catalogs) {
    for (const auto key : PublicPageKeys()) {
      EXPECT_TRUE(catalog.texts.contains(key)) << catalog.code << " " << key;
    }
  }
}

TEST(ReportCatalogs, FrenchIsLoadedAsTheFallbackEvenWhenNotOffered) {
  auto loaded = LoadReportCatalogs(kShippedFolder, {"en"}, PublicPageKeys());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_EQ(loaded->catalogs.size(), 2u);
  EXPECT_EQ(loaded->catalogs[0].code, "fr");
  EXPECT_EQ(loaded->catalogs[1].code, "en");
}

TEST(ReportCatalogs, AMissingKeyTakesTheFrenchTextAndAnUnknownKeyIsReported) {
  CatalogFolder folder;
  folder.Write("fr.json",
               R"({"_meta": {"name": "Français"}, "greeting": "Bonjour", "farewell": "Adieu"})");
  folder.Write("xx.json",
               R"({"_meta": {"name": "Xx", "needs_review": true}, "greeting": "Bara ala",
                   "greting": "typo"})");
  auto loaded = LoadReportCatalogs(folder.path(), {"fr", "xx"}, kTwoKeys);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const auto& other = loaded->catalogs[1];
  EXPECT_TRUE(other.needs_review);
  EXPECT_EQ(other.texts.at("greeting"), "Bara ala");
  EXPECT_EQ(other.texts.at("farewell"), "Adieu");
  ASSERT_EQ(loaded->warnings.size(), 2u);
  EXPECT_NE(loaded->warnings[0].find("xx.json: unknown key \"greting\""), std::string::npos)
      << loaded->warnings[0];
  EXPECT_NE(loaded->warnings[1].find("xx.json: 1 key(s) missing, shown in French: farewell"),
            std::string::npos)
      << loaded->warnings[1];
}

// A malformed file stops the server: the message names the file and the line.
struct MalformedCase {
  const char* name;
  const char* text;
  const char* expected;  // in the message
};

class MalformedCatalog : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(MalformedCatalog, NamesTheFileAndLine) {
  CatalogFolder folder;
  folder.Write("fr.json",
               R"({"_meta": {"name": "Français"}, "greeting": "Bonjour", "farewell": "Adieu"})");
  folder.Write("xx.json", GetParam().text);
  auto loaded = LoadReportCatalogs(folder.path(), {"fr", "xx"}, kTwoKeys);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(loaded.status().message().find(GetParam().expected), std::string::npos)
      << loaded.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MalformedCatalog,
    ::testing::Values(
        MalformedCase{"missing_comma",
                      "{\n  \"_meta\": {\"name\": \"Xx\"},\n  \"greeting\": \"a\"\n  \"farewell\": "
                      "\"b\"\n}\n",
                      "xx.json:4: not valid JSON"},
        MalformedCase{"cut_short", "{\n  \"_meta\": {\"name\": \"Xx\"},\n  \"greeting\": \"a\",\n",
                      "xx.json:3: not valid JSON"},
        MalformedCase{"number_text",
                      "{\n  \"_meta\": {\"name\": \"Xx\"},\n\n  \"greeting\": 4\n}\n",
                      "xx.json:4: the text of \"greeting\" must be a string"},
        MalformedCase{"no_meta", "{\"greeting\": \"a\"}", "xx.json:1: _meta with \"name\""},
        MalformedCase{"review_not_bool",
                      "{\"_meta\": {\"name\": \"Xx\",\n \"needs_review\": \"yes\"}}",
                      "xx.json:2: _meta.needs_review must be true or false"},
        MalformedCase{"array", "[\"greeting\"]", "xx.json:1: a catalog is one JSON object"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(ReportCatalogs, AMissingFileIsNotFound) {
  CatalogFolder folder;
  folder.Write("fr.json", R"({"_meta": {"name": "Français"}, "greeting": "a", "farewell": "b"})");
  auto loaded = LoadReportCatalogs(folder.path(), {"fr", "sg"}, kTwoKeys);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), ErrorCode::kNotFound);
  EXPECT_NE(loaded.status().message().find("sg.json"), std::string::npos);
}

TEST(ReportCatalogs, FrenchMustHaveEveryKey) {
  CatalogFolder folder;
  folder.Write("fr.json", R"({"_meta": {"name": "Français"}, "greeting": "Bonjour"})");
  auto loaded = LoadReportCatalogs(folder.path(), {"fr"}, kTwoKeys);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find("fr.json: the key \"farewell\" is missing"),
            std::string::npos)
      << loaded.status().message();
}

TEST(SmsReceiptReply, NamesTheInstallationsContacts) {
  EXPECT_EQ(SmsReceiptReply("ABCD", ReportingContact{}),
            "Merci, message recu. Code de suivi: ABCD (gardez-le secret). Lignes gratuites 4044 "
            "/ 4445. / Thank you. Follow-up code: ABCD");
  ReportingContact contact{{"1515"}, "plaintes@example.org", "Bureau CDT, Bangui"};
  EXPECT_EQ(SmsReceiptReply("ABCD", contact),
            "Merci, message recu. Code de suivi: ABCD (gardez-le secret). Lignes gratuites 1515. "
            "Courriel: plaintes@example.org. Bureau CDT, Bangui / Thank you. Follow-up code: "
            "ABCD");
}

}  // namespace
}  // namespace psea::intake
