// The Trust Fund's pure rules: currencies and their minor digits, validation naming the field,
// amounts formatted without floating point, beneficiaries summed by year.
#include "modules/trustfund/model.h"

#include <gtest/gtest.h>

#include "modules/providers/model.h"
#include "modules/trustfund/export.h"

namespace psea::trustfund {
namespace {

UnixMillis Day(const char* text) { return ParseDay(text, "day").value(); }

Project Valid() {
  Project p;
  p.title = "Synthetic livelihood project";
  p.partner = "Invented NGO";
  p.amount_minor = 5'000'000;
  p.currency = "USD";
  p.start_day = Day("2026-01-01");
  p.end_day = Day("2026-12-31");
  p.services = {"psychosocial", "livelihood"};
  p.prefectures = {"BGI"};
  return p;
}

TEST(TrustFundModelTest, CurrenciesAreIso4217WithTheirMinorDigits) {
  const std::pair<const char*, std::optional<int>> cases[] = {{"USD", 2},
                                                              {"EUR", 2},
                                                              {"XAF", 0},
                                                              {"XOF", 0},
                                                              {"JPY", 0},
                                                              {"KWD", 3},
                                                              {"CLF", 4},
                                                              {"usd", std::nullopt},
                                                              {"US", std::nullopt},
                                                              {"USDX", std::nullopt},
                                                              {"ABC", std::nullopt},
                                                              {"XAU", std::nullopt},
                                                              {"", std::nullopt}};
  for (const auto& [code, exponent] : cases) {
    EXPECT_EQ(CurrencyExponent(code), exponent) << code;
  }
}

// The services vocabulary is the providers module's, repeated so that neither module depends on
// the other (only the header's inline vocabulary is read here).
TEST(TrustFundModelTest, ServicesAreTheProvidersVocabulary) {
  EXPECT_EQ(kServices, providers::kServices);
}

TEST(TrustFundModelTest, ProjectValidationNamesTheField) {
  struct Case {
    const char* name;
    void (*change)(Project&);
    ErrorCode code;
    const char* field;
  };
  const Case cases[] = {
      {"no title", [](Project& p) { p.title.clear(); }, ErrorCode::kInvalidArgument, "title"},
      {"no partner", [](Project& p) { p.partner.clear(); }, ErrorCode::kInvalidArgument, "partner"},
      {"status", [](Project& p) { p.status = "done"; }, ErrorCode::kInvalidArgument, "status"},
      {"service", [](Project& p) { p.services.push_back("dancing"); }, ErrorCode::kInvalidArgument,
       "services"},
      {"service twice", [](Project& p) { p.services.push_back("livelihood"); },
       ErrorCode::kInvalidArgument, "services"},
      {"prefecture twice", [](Project& p) { p.prefectures.push_back("BGI"); },
       ErrorCode::kInvalidArgument, "prefectures"},
      {"currency", [](Project& p) { p.currency = "DOLLARS"; }, ErrorCode::kUnprocessable,
       "currency"},
      {"negative", [](Project& p) { p.amount_minor = -1; }, ErrorCode::kUnprocessable,
       "amount_minor"},
      {"too large", [](Project& p) { p.amount_minor = kMaxAmountMinor + 1; },
       ErrorCode::kUnprocessable, "amount_minor"},
      {"end before start", [](Project& p) { p.end_day = Day("2025-12-31"); },
       ErrorCode::kUnprocessable, "end_day"},
  };
  for (const auto& c : cases) {
    Project p = Valid();
    c.change(p);
    const Status status = ValidateProject(p);
    EXPECT_EQ(status.code(), c.code) << c.name;
    EXPECT_EQ(status.field(), c.field) << c.name;
  }
  Project ok = Valid();
  ASSERT_TRUE(ValidateProject(ok).ok());
  // Services come back in the vocabulary's order.
  EXPECT_EQ(ok.services, (std::vector<std::string>{"psychosocial", "livelihood"}));
  ok.amount_minor = 0;  // a project not costed yet
  EXPECT_TRUE(ValidateProject(ok).ok());
}

TEST(TrustFundModelTest, BeneficiariesAreCountsInsideTheProject) {
  const Project project = Valid();
  Beneficiaries e;
  e.period_start = Day("2026-01-01");
  e.period_end = Day("2026-03-31");
  e.women = 10;
  e.girls = 4;
  e.children_born_of_sea = 2;
  EXPECT_TRUE(ValidateBeneficiaries(e, project).ok());
  EXPECT_EQ(e.Total(), 16);
  Beneficiaries negative = e;
  negative.boys = -1;
  EXPECT_EQ(ValidateBeneficiaries(negative, project).field(), "boys");
  Beneficiaries reversed = e;
  reversed.period_end = Day("2025-12-01");
  EXPECT_EQ(ValidateBeneficiaries(reversed, project).field(), "period_end");
  Beneficiaries outside = e;
  outside.period_start = Day("2027-01-01");
  outside.period_end = Day("2027-03-31");
  EXPECT_EQ(ValidateBeneficiaries(outside, project).field(), "period_start");
}

TEST(TrustFundModelTest, TransfersHaveAPositiveAmountAndAPastDate) {
  Transfer t;
  t.transfer_day = Day("2026-05-01");
  t.amount_minor = 150'000;
  t.currency = "XAF";
  t.contributor = "Invented Member State";
  const UnixMillis today = Day("2026-06-01");
  EXPECT_TRUE(ValidateTransfer(t, today).ok());
  Transfer zero = t;
  zero.amount_minor = 0;
  EXPECT_EQ(ValidateTransfer(zero, today).field(), "amount_minor");
  Transfer future = t;
  future.transfer_day = Day("2026-06-02");
  EXPECT_EQ(ValidateTransfer(future, today).field(), "transfer_day");
  Transfer nobody = t;
  nobody.contributor.clear();
  EXPECT_EQ(ValidateTransfer(nobody, today).code(), ErrorCode::kInvalidArgument);
  Transfer unknown = t;
  unknown.currency = "FCF";
  EXPECT_EQ(ValidateTransfer(unknown, today).field(), "currency");
}

TEST(TrustFundModelTest, AmountsAreFormattedFromMinorUnits) {
  EXPECT_EQ(FormatAmount(123456, "USD"), "1234.56");
  EXPECT_EQ(FormatAmount(5, "USD"), "0.05");
  EXPECT_EQ(FormatAmount(0, "EUR"), "0.00");
  EXPECT_EQ(FormatAmount(5000, "XAF"), "5000");
  EXPECT_EQ(FormatAmount(1, "KWD"), "0.001");
}

TEST(TrustFundModelTest, BeneficiariesAreSummedByTheYearTheirPeriodStarts) {
  Beneficiaries a, b, c;
  a.period_start = Day("2025-10-01");
  a.women = 3;
  b.period_start = Day("2026-01-01");
  b.girls = 2;
  b.children_born_of_sea = 1;
  c.period_start = Day("2026-04-01");
  c.women = 5;
  Figures figures;
  AddBeneficiaries(figures, {a, b, c});
  ASSERT_EQ(figures.beneficiaries_by_year.size(), 2u);
  EXPECT_EQ(figures.beneficiaries_by_year[0].year, 2025);
  EXPECT_EQ(figures.beneficiaries_by_year[0].Total(), 3);
  EXPECT_EQ(figures.beneficiaries_by_year[1].year, 2026);
  EXPECT_EQ(figures.beneficiaries_by_year[1].women, 5);
  EXPECT_EQ(figures.beneficiaries_by_year[1].Total(), 8);
  EXPECT_EQ(figures.beneficiaries_total.Total(), 11);
}

}  // namespace
}  // namespace psea::trustfund
