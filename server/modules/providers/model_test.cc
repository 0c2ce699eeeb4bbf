// The providers' rules without a database: validation (vocabularies, coordinates, dates),
// staleness and the directory's filters.
#include "modules/providers/model.h"

#include <gtest/gtest.h>

namespace psea::providers {
namespace {

constexpr UnixMillis kNow = 1795883729000;  // 2026-11-28T16:35:29Z
constexpr std::int64_t kDay = 24LL * 60 * 60 * 1000;

Provider Valid() {
  Provider p;
  p.name = "Synthetic clinic";
  p.kind = "health_facility";
  p.services = {"psychosocial", "medical"};
  p.prefecture = "BGI";
  p.cost = "free";
  p.coordinates = Coordinates{4'366'700, 18'583'300};  // Bangui
  p.last_verified = kNow - 10 * kDay;
  return p;
}

struct Case {
  const char* what;
  void (*change)(Provider&);
  ErrorCode code;
  const char* field;
};

TEST(ProviderModelTest, ValidationNamesTheField) {
  const Case cases[] = {
      {"valid", [](Provider&) {}, ErrorCode::kOk, ""},
      {"no name", [](Provider& p) { p.name.clear(); }, ErrorCode::kInvalidArgument, "name"},
      {"unknown kind", [](Provider& p) { p.kind = "hospital"; }, ErrorCode::kInvalidArgument,
       "kind"},
      {"no service", [](Provider& p) { p.services.clear(); }, ErrorCode::kInvalidArgument,
       "services"},
      {"unknown service", [](Provider& p) { p.services = {"dental"}; }, ErrorCode::kInvalidArgument,
       "services"},
      {"repeated service",
       [](Provider& p) {
         p.services = {"legal", "legal"};
       },
       ErrorCode::kInvalidArgument, "services"},
      {"unknown cost", [](Provider& p) { p.cost = "cheap"; }, ErrorCode::kInvalidArgument, "cost"},
      {"latitude and longitude swapped",
       [](Provider& p) {
         p.coordinates = Coordinates{18'583'300, 4'366'700};
       },
       ErrorCode::kUnprocessable, "lat"},
      {"longitude in Cameroon's west", [](Provider& p) { p.coordinates->lon_e6 = 9'700'000; },
       ErrorCode::kUnprocessable, "lon"},
      {"southern hemisphere", [](Provider& p) { p.coordinates->lat_e6 = -4'366'700; },
       ErrorCode::kUnprocessable, "lat"},
      {"no coordinates", [](Provider& p) { p.coordinates.reset(); }, ErrorCode::kOk, ""},
      {"Birao, far north-east",
       [](Provider& p) {
         p.coordinates = Coordinates{10'283'300, 22'783'300};
       },
       ErrorCode::kOk, ""},
      {"verified tomorrow", [](Provider& p) { p.last_verified = kNow + kDay; },
       ErrorCode::kUnprocessable, "last_verified"},
  };
  for (const auto& c : cases) {
    Provider p = Valid();
    c.change(p);
    const Status status = ValidateProvider(p, kNow);
    EXPECT_EQ(status.code(), c.code) << c.what << ": " << status.message();
    EXPECT_EQ(status.field(), c.field) << c.what;
  }
}

TEST(ProviderModelTest, ServicesAreSortedInVocabularyOrder) {
  Provider p = Valid();
  p.services = {"child_support", "medical", "safety_protection"};
  ASSERT_TRUE(ValidateProvider(p, kNow).ok());
  EXPECT_EQ(p.services,
            (std::vector<std::string>{"safety_protection", "medical", "child_support"}));
}

TEST(ProviderModelTest, StaleAfterMoreThanTheDays) {
  EXPECT_FALSE(IsStale(kNow, kNow, 180));
  EXPECT_FALSE(IsStale(kNow - 180 * kDay, kNow, 180));
  EXPECT_TRUE(IsStale(kNow - 181 * kDay, kNow, 180));
  EXPECT_TRUE(IsStale(kNow - 31 * kDay, kNow, 30));
  EXPECT_FALSE(IsStale(kNow - 30 * kDay - 1, kNow, 30));
}

TEST(ProviderModelTest, DaysAndDegrees) {
  auto day = ParseDay("2026-11-28", "last_verified");
  ASSERT_TRUE(day.ok());
  EXPECT_EQ(FormatDay(*day), "2026-11-28");
  EXPECT_EQ(ParseDay("2026-11-28T10:00:00Z", "d").status().field(), "d");
  EXPECT_EQ(ParseDay("2026-02-30", "d").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(DegreesToE6(4.3667), 4'366'700);
  EXPECT_EQ(DegreesToE6(-0.0000004), 0);
  EXPECT_FALSE(DegreesToE6(1e300).has_value());
}

TEST(ProviderModelTest, FiltersMatchEveryGivenField) {
  Provider p = Valid();
  ASSERT_TRUE(ValidateProvider(p, kNow).ok());
  p.town = "Bangui (3e arrondissement)";
  auto match = [&](const ProviderFilter& f) { return Matches(p, f, kNow, 180); };
  auto with = [](auto set) {
    ProviderFilter f;
    set(f);
    return f;
  };
  EXPECT_TRUE(match({}));
  EXPECT_TRUE(match(with([](ProviderFilter& f) { f.service = "medical"; })));
  EXPECT_FALSE(match(with([](ProviderFilter& f) { f.service = "legal"; })));
  EXPECT_TRUE(match(with([](ProviderFilter& f) { f.prefecture = "BGI"; })));
  EXPECT_FALSE(match(with([](ProviderFilter& f) { f.prefecture = "OUA"; })));
  EXPECT_FALSE(match(with([](ProviderFilter& f) { f.kind = "shelter"; })));
  EXPECT_TRUE(match(with([](ProviderFilter& f) { f.stale = false; })));
  EXPECT_FALSE(match(with([](ProviderFilter& f) { f.stale = true; })));
  EXPECT_TRUE(match(with([](ProviderFilter& f) { f.active = true; })));
  EXPECT_TRUE(match(with([](ProviderFilter& f) { f.q = "CLINIC"; })));
  EXPECT_TRUE(match(with([](ProviderFilter& f) { f.q = "arrondissement"; })));
  EXPECT_FALSE(match(with([](ProviderFilter& f) { f.q = "shelter"; })));
  EXPECT_FALSE(match(with([](ProviderFilter& f) {
    f.service = "medical";
    f.prefecture = "OUA";
  })));
}

TEST(ProviderModelTest, PatchChangesOnlyWhatItNames) {
  Provider p = Valid();
  ProviderPatch patch;
  EXPECT_TRUE(patch.empty());
  patch.town = "Bimbo";
  patch.coordinates = std::optional<Coordinates>();
  ApplyPatch(p, patch);
  EXPECT_EQ(p.town, "Bimbo");
  EXPECT_FALSE(p.coordinates.has_value());
  EXPECT_EQ(p.name, "Synthetic clinic");
}

}  // namespace
}  // namespace psea::providers
