#include "modules/intake/locations.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace psea::intake {
namespace {

std::string ReadCarFile() {
  std::ifstream file(std::string(PSEA_SOURCE_DIR) + "/data/locations/car.yaml", std::ios::binary);
  EXPECT_TRUE(file.good()) << "cannot open data/locations/car.yaml";
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

TEST(ParseLocationsYaml, ReadsTheCentralAfricanRepublicFile) {
  auto parsed = ParseLocationsYaml(ReadCarFile());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const std::vector<Prefecture>* prefectures = &parsed->prefectures;

  std::set<std::string> names;
  for (const auto& prefecture : *prefectures) names.insert(prefecture.name);
  const std::set<std::string> expected = {
      "Bamingui-Bangoran", "Bangui",         "Basse-Kotto",   "Haute-Kotto",
      "Haut-Mbomou",       "Kémo",           "Lobaye",        "Lim-Pendé",
      "Mambéré",           "Mambéré-Kadéï",  "Mbomou",        "Nana-Grébizi",
      "Nana-Mambéré",      "Ombella-M'Poko", "Ouaka",         "Ouham",
      "Ouham-Fafa",        "Ouham-Pendé",    "Sangha-Mbaéré", "Vakaga"};
  EXPECT_EQ(prefectures->size(), 20u);
  EXPECT_EQ(names, expected);

  std::set<std::string> codes;
  std::size_t sub_prefecture_count = 0;
  for (const auto& prefecture : *prefectures) {
    EXPECT_TRUE(codes.insert(prefecture.code).second) << prefecture.code;
    EXPECT_FALSE(prefecture.sub_prefectures.empty()) << prefecture.name;
    for (const auto& sub_prefecture : prefecture.sub_prefectures) {
      ++sub_prefecture_count;
      EXPECT_TRUE(codes.insert(sub_prefecture.code).second) << sub_prefecture.code;
      // Sub-prefecture codes start with their prefecture's, so a code says where it belongs.
      EXPECT_EQ(sub_prefecture.code.rfind(prefecture.code + "-", 0), 0u) << sub_prefecture.code;
      EXPECT_FALSE(sub_prefecture.towns.empty()) << sub_prefecture.name;
    }
  }
  EXPECT_GE(sub_prefecture_count, 70u);
  EXPECT_LE(sub_prefecture_count, 84u);
}

TEST(ParseLocationsYaml, TheCapitalAndTheNewPrefecturesAreWhereTheLawPutsThem) {
  auto parsed = ParseLocationsYaml(ReadCarFile());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const std::vector<Prefecture>* prefectures = &parsed->prefectures;
  auto find = [&](const std::string& name) -> const Prefecture* {
    for (const auto& prefecture : *prefectures) {
      if (prefecture.name == name) return &prefecture;
    }
    return nullptr;
  };
  auto has_sub_prefecture = [](const Prefecture* prefecture, const std::string& name) {
    if (prefecture == nullptr) return false;
    for (const auto& sub : prefecture->sub_prefectures) {
      if (sub.name == name) return true;
    }
    return false;
  };
  const Prefecture* bangui = find("Bangui");
  ASSERT_NE(bangui, nullptr);
  ASSERT_FALSE(bangui->sub_prefectures.empty());
  EXPECT_EQ(bangui->sub_prefectures[0].towns[0].name, "Bangui");
  EXPECT_TRUE(has_sub_prefecture(find("Mambéré"), "Carnot"));
  EXPECT_FALSE(has_sub_prefecture(find("Mambéré-Kadéï"), "Carnot"));
  EXPECT_TRUE(has_sub_prefecture(find("Ouham-Fafa"), "Batangafo"));
  EXPECT_TRUE(has_sub_prefecture(find("Lim-Pendé"), "Paoua"));
  EXPECT_TRUE(has_sub_prefecture(find("Ombella-M'Poko"), "Boali"));
  EXPECT_FALSE(has_sub_prefecture(find("Ombella-M'Poko"), "Bimbo"));
}

TEST(ParseLocationsYaml, ReadsASmallFile) {
  auto parsed = ParseLocationsYaml(R"(
prefectures:
  - code: OMP
    name: " Ombella-M'Poko "
    sub_prefectures:
      - code: OMP-BOA
        name: Boali
        towns: [Boali, "Boali 2"]
      - {code: OMP-DAM, name: Damara}
)");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const std::vector<Prefecture>* prefectures = &parsed->prefectures;
  ASSERT_EQ(prefectures->size(), 1u);
  const Prefecture& prefecture = prefectures->front();
  EXPECT_EQ(prefecture.code, "OMP");
  EXPECT_EQ(prefecture.name, "Ombella-M'Poko");
  ASSERT_EQ(prefecture.sub_prefectures.size(), 2u);
  EXPECT_EQ(prefecture.sub_prefectures[0].code, "OMP-BOA");
  ASSERT_EQ(prefecture.sub_prefectures[0].towns.size(), 2u);
  EXPECT_EQ(prefecture.sub_prefectures[0].towns[1].name, "Boali 2");
  EXPECT_TRUE(prefecture.sub_prefectures[1].towns.empty());
}

TEST(ParseLocationsYaml, EverySubPrefectureOfTheShippedFileHasAFieldOfficeOfTheList) {
  auto parsed = ParseLocationsYaml(ReadCarFile());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  std::set<std::string> offices;
  for (const auto& office : parsed->field_offices) offices.insert(office.code);
  EXPECT_GE(offices.size(), 11u);
  std::set<std::string> sub_prefectures;
  for (const auto& prefecture : parsed->prefectures) {
    for (const auto& sub : prefecture.sub_prefectures) {
      sub_prefectures.insert(sub.code);
      EXPECT_TRUE(offices.contains(sub.field_office)) << sub.code << " " << sub.field_office;
    }
  }
  // Every office covers at least its own town's sub-prefecture.
  for (const auto& office : parsed->field_offices) {
    EXPECT_FALSE(SubPrefecturesOf(*parsed, office.code).empty()) << office.code;
  }
  EXPECT_FALSE(parsed->sites.empty());
  for (const auto& site : parsed->sites) {
    EXPECT_TRUE(sub_prefectures.contains(site.sub_prefecture)) << site.code;
    EXPECT_LE(site.code.size(), 16u) << site.code;
  }
}

TEST(ParseLocationsYaml, ReadsFieldOfficesAndSites) {
  auto parsed = ParseLocationsYaml(R"(
field_offices:
  - {code: BBR, name: Bambari}
  - {code: BGI, name: Bangui}
prefectures:
  - code: OUA
    name: Ouaka
    pcode: CF32
    sub_prefectures:
      - {code: OUA-BAM, name: Bambari, field_office: BBR, towns: [Bambari]}
      - {code: OUA-IPP, name: Ippy}
sites:
  - {code: S-ELEVAGE, name: Elevage, type: idp_site, sub_prefecture: OUA-BAM}
)");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_EQ(parsed->field_offices.size(), 2u);
  EXPECT_EQ(parsed->field_offices[0].code, "BBR");
  EXPECT_EQ(parsed->field_offices[1].name, "Bangui");
  const Prefecture& ouaka = parsed->prefectures.at(0);
  EXPECT_EQ(ouaka.pcode, "CF32");
  EXPECT_EQ(ouaka.sub_prefectures.at(0).field_office, "BBR");
  EXPECT_EQ(ouaka.sub_prefectures.at(1).field_office, "");
  EXPECT_EQ(FieldOfficeOf(*parsed, "OUA-BAM"), "BBR");
  EXPECT_EQ(SubPrefecturesOf(*parsed, "BBR"), std::vector<std::string>{"OUA-BAM"});
  ASSERT_EQ(parsed->sites.size(), 1u);
  EXPECT_EQ(parsed->sites[0].code, "S-ELEVAGE");
  EXPECT_EQ(parsed->sites[0].type, "idp_site");
  EXPECT_EQ(parsed->sites[0].sub_prefecture, "OUA-BAM");

  // What the database keeps and the API answers.
  const auto json = PlacesJson(*parsed);
  EXPECT_EQ(json.at("field_offices").as_array().size(), 2u);
  EXPECT_EQ(json.at("sites").as_array().at(0).at("type"), "idp_site");
  const auto& prefecture = json.at("prefectures").as_array().at(0).as_object();
  EXPECT_EQ(prefecture.at("pcode"), "CF32");
  EXPECT_EQ(prefecture.at("sub_prefectures").as_array().at(0).at("field_office"), "BBR");
}

struct BadFile {
  const char* yaml;
  int line;
  const char* field;
  const char* message_part;
};

TEST(ParseLocationsYaml, NamesTheLineAndFieldOfEveryError) {
  const std::vector<BadFile> cases = {
      {"", 1, "prefectures", "empty"},
      {"[1, 2]", 1, "(document)", "must be a mapping"},
      {"prefectures: [", 1, "(document)", "not valid YAML"},
      {"countries: []", 1, "countries", "not a field"},
      {"prefectures:", 1, "prefectures", "is required"},
      {"prefectures: {}", 1, "prefectures", "must be a list"},
      {"prefectures: []", 1, "prefectures", "at least one"},
      {"prefectures:\n  - just a name", 2, "prefectures[0]", "must be a mapping"},
      {"prefectures:\n  - name: Ouaka\n    sub_prefectures: [{code: OUA-BAM, name: Bambari}]", 2,
       "prefectures[0].code", "is required"},
      {"prefectures:\n  - code: OUA\n    sub_prefectures: [{code: OUA-BAM, name: Bambari}]", 2,
       "prefectures[0].name", "is required"},
      {"prefectures:\n  - code: OUA\n    name: \"  \"\n    sub_prefectures: []", 3,
       "prefectures[0].name", "must not be empty"},
      {"prefectures:\n  - code: OUA\n    name: [Ouaka]\n    sub_prefectures: []", 3,
       "prefectures[0].name", "must be text"},
      {"prefectures:\n  - code: oua\n    name: Ouaka", 2, "prefectures[0].code", "capital"},
      {"prefectures:\n  - code: OUA\n    name: Ouaka", 2, "prefectures[0].sub_prefectures",
       "is required"},
      {"prefectures:\n  - code: OUA\n    name: Ouaka\n    sub_prefectures: Bambari", 4,
       "prefectures[0].sub_prefectures", "must be a list"},
      {"prefectures:\n  - code: OUA\n    name: Ouaka\n    capital: Bambari", 4,
       "prefectures[0].capital", "not a field"},
      {R"(prefectures:
  - code: OUA
    name: Ouaka
    sub_prefectures:
      - {code: OUA-BAM, name: Bambari}
      - {code: OUA-BAM, name: Ippy}
)",
       6, "prefectures[0].sub_prefectures[1].code", "(OUA-BAM) is used twice"},
      {R"(prefectures:
  - code: OUA
    name: Ouaka
    sub_prefectures: [{code: OUA-BAM, name: Bambari}]
  - code: OUA
    name: Ouham
    sub_prefectures: [{code: OUH-BOS, name: Bossangoa}]
)",
       5, "prefectures[1].code", "(OUA) is used twice"},
      {R"(prefectures:
  - code: OUA
    name: Ouaka
    sub_prefectures: [{code: OUA, name: Bambari}]
)",
       4, "prefectures[0].sub_prefectures[0].code", "used twice"},
      {R"(prefectures:
  - code: OUA
    name: Ouaka
    sub_prefectures: [{code: OUA-BAM, name: Bambari}]
  - code: OUH
    name: Ouaka
    sub_prefectures: [{code: OUH-BOS, name: Bossangoa}]
)",
       6, "prefectures[1].name", "used twice"},
      {R"(prefectures:
  - code: OUA
    name: Ouaka
    sub_prefectures:
      - code: OUA-BAM
        name: Bambari
      - code: OUA-IPP
        name: Bambari
)",
       8, "prefectures[0].sub_prefectures[1].name", "appears twice"},
      {R"(prefectures:
  - code: OUA
    name: Ouaka
    sub_prefectures:
      - code: OUA-BAM
)",
       5, "prefectures[0].sub_prefectures[0].name", "is required"},
      {R"(prefectures:
  - code: OUA
    name: Ouaka
    sub_prefectures:
      - code: OUA-BAM
        name: Bambari
        towns: Bambari
)",
       7, "prefectures[0].sub_prefectures[0].towns", "must be a list"},
      {R"(prefectures:
  - code: OUA
    name: Ouaka
    sub_prefectures:
      - code: OUA-BAM
        name: Bambari
        towns:
          - Bambari
          -
)",
       8, "prefectures[0].sub_prefectures[0].towns[1]", "must not be empty"},
      {R"(prefectures:
  - code: OUA
    name: Ouaka
    sub_prefectures:
      - code: OUA-BAM
        name: Bambari
        towns:
          - {name: Bambari}
)",
       8, "prefectures[0].sub_prefectures[0].towns[0]", "must be text"},
      {R"(prefectures:
  - code: OUA
    name: Ouaka
    sub_prefectures:
      - code: OUA-BAM
        name: Bambari
        towns: [Bambari, Maloum, Bambari]
)",
       7, "prefectures[0].sub_prefectures[0].towns[2]", "appears twice"},
      {R"(prefectures:
  - code: OUA
    name: Ouaka
    sub_prefectures:
      - code: OUA-BAM
        name: "Bam\tbari"
)",
       6, "prefectures[0].sub_prefectures[0].name", "control characters"},
      {"field_offices: {}\nprefectures: []", 1, "field_offices", "must be a list"},
      {"field_offices:\n  - {code: BBR}\nprefectures: []", 2, "field_offices[0].name",
       "is required"},
      {"field_offices:\n  - {code: BBR, name: Bambari}\n  - {code: BBR, name: Bria}\n"
       "prefectures: []",
       3, "field_offices[1].code", "(BBR) is used twice"},
      {"field_offices:\n  - {code: BBR, name: Bambari, town: Bambari}\nprefectures: []", 2,
       "field_offices[0].town", "not a field"},
      {R"(field_offices: [{code: BBR, name: Bambari}]
prefectures:
  - code: OUA
    name: Ouaka
    sub_prefectures:
      - {code: OUA-BAM, name: Bambari, field_office: BBR}
      - code: OUA-IPP
        name: Ippy
        field_office: BRI
)",
       9, "prefectures[0].sub_prefectures[1].field_office", "(BRI) is not a code of field_offices"},
      {"prefectures:\n  - code: OUA\n    name: Ouaka\n    pcode: cf32\n"
       "    sub_prefectures: [{code: OUA-BAM, name: Bambari}]",
       4, "prefectures[0].pcode", "capital letters then digits"},
      {R"(prefectures:
  - code: OUA
    name: Ouaka
    sub_prefectures: [{code: OUA-BAM, name: Bambari}]
sites:
  - {code: S-ONE, name: One, type: idp_site, sub_prefecture: OUA-BAM}
  - {code: S-TWO, name: Two, type: camp, sub_prefecture: OUA-BAM}
)",
       7, "sites[1].type", "must be mission_camp_or_base, idp_site or other"},
      {R"(prefectures:
  - code: OUA
    name: Ouaka
    sub_prefectures: [{code: OUA-BAM, name: Bambari}]
sites:
  - code: S-ONE
    name: One
    type: other
    sub_prefecture: OUA
)",
       9, "sites[0].sub_prefecture", "(OUA) is not a sub-prefecture of the file"},
      {R"(prefectures:
  - code: OUA
    name: Ouaka
    sub_prefectures: [{code: OUA-BAM, name: Bambari}]
sites:
  - {code: S-ONE, name: One, type: other, sub_prefecture: OUA-BAM}
  - {code: S-ONE, name: Two, type: other, sub_prefecture: OUA-BAM}
)",
       7, "sites[1].code", "(S-ONE) is used twice"},
      {R"(prefectures:
  - code: OUA
    name: Ouaka
    sub_prefectures: [{code: OUA-BAM, name: Bambari}]
sites:
  - {name: One, type: other, sub_prefecture: OUA-BAM}
)",
       6, "sites[0].code", "is required"},
  };
  for (const auto& bad : cases) {
    auto prefectures = ParseLocationsYaml(bad.yaml);
    ASSERT_FALSE(prefectures.ok()) << bad.yaml;
    const Status& status = prefectures.status();
    EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument) << bad.yaml;
    EXPECT_EQ(status.field(), bad.field) << bad.yaml << "\n" << status.message();
    const std::string line = "line " + std::to_string(bad.line) + ": ";
    EXPECT_EQ(status.message().rfind(line, 0), 0u) << bad.yaml << "\n" << status.message();
    EXPECT_NE(status.message().find(bad.message_part), std::string::npos) << bad.yaml << "\n"
                                                                          << status.message();
  }
}

}  // namespace
}  // namespace psea::intake
