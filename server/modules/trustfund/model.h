// The Trust Fund in Support of Victims of Sexual Exploitation and Abuse (issue 13, "support
// efforts by service providers to access the Trust Fund"): the projects it funds, the people
// they reach counted without identities, and the amounts withheld from perpetrators that are
// transferred to it. Pure types and rules: no SQL, no HTTP.
//
// Money is integer minor units of an ISO 4217 currency (cents of USD, francs of XAF, which has
// none): never floating point.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace psea::trustfund {

inline const std::vector<std::string_view> kProjectStatuses = {"planned", "active", "completed",
                                                               "cancelled"};
// The providers module's services vocabulary (providers/model.h kServices), repeated here so
// that this module does not depend on that one; trustfund model_test checks they agree.
inline const std::vector<std::string_view> kServices = {
    "safety_protection", "medical",    "psychosocial",   "legal",
    "education",         "livelihood", "basic_material", "child_support"};
bool IsOneOf(const std::vector<std::string_view>& vocabulary, std::string_view value);

// The ISO 4217 code's number of minor-unit digits (2 for USD, 0 for XAF and XOF, 3 for KWD);
// nullopt for a code that is not an active ISO 4217 currency (three capital letters first).
std::optional<int> CurrencyExponent(std::string_view code);

// Ten thousand billion minor units: beyond any real amount, far inside int64 sums.
inline constexpr std::int64_t kMaxAmountMinor = 10'000'000'000'000LL;
// Beneficiaries of one group in one period.
inline constexpr std::int64_t kMaxBeneficiaries = 10'000'000;

struct Project {
  std::int64_t id = 0;
  std::string title;
  std::string partner;  // the implementing partner's name (the provider's name when linked)
  std::optional<std::int64_t> provider_id;  // an entry of the providers' directory
  std::int64_t amount_minor = 0;
  std::string currency;                  // ISO 4217
  UnixMillis start_day = 0;              // midnight UTC
  UnixMillis end_day = 0;                // midnight UTC, inclusive
  std::vector<std::string> prefectures;  // prefecture codes of the places list
  std::vector<std::string> services;     // kServices, vocabulary order
  std::string status = "planned";        // kProjectStatuses
  std::string notes;
  std::int64_t version = 1;
  UnixMillis created_at = 0;
  UnixMillis updated_at = 0;
  std::string updated_by;
};

// Each field present replaces the stored one; provider_id present with nullopt unlinks.
struct ProjectPatch {
  std::optional<std::string> title, partner, currency, status, notes;
  std::optional<std::optional<std::int64_t>> provider_id;
  std::optional<std::int64_t> amount_minor;
  std::optional<UnixMillis> start_day, end_day;
  std::optional<std::vector<std::string>> prefectures, services;
  bool empty() const;
};
void ApplyPatch(Project& project, const ProjectPatch& patch);

// The people a project reached in one reporting period, as counts: never names.
struct Beneficiaries {
  std::int64_t id = 0;
  std::int64_t project_id = 0;
  UnixMillis period_start = 0;  // midnight UTC
  UnixMillis period_end = 0;    // midnight UTC, inclusive
  std::int64_t women = 0, girls = 0, men = 0, boys = 0;
  std::int64_t children_born_of_sea = 0;
  std::string note;
  UnixMillis recorded_at = 0;
  std::string recorded_by;
  std::int64_t Total() const { return women + girls + men + boys + children_born_of_sea; }
};

// An amount withheld from a perpetrator (salary, allowances) and transferred to the Trust Fund.
struct Transfer {
  std::int64_t id = 0;
  UnixMillis transfer_day = 0;  // midnight UTC
  std::int64_t amount_minor = 0;
  std::string currency;
  std::string contributor;  // the Member State or entity that withheld it
  std::optional<std::int64_t> case_id;
  std::string reference;  // the finance document's number
  std::string notes;
  std::int64_t version = 1;
  UnixMillis created_at = 0;
  UnixMillis updated_at = 0;
  std::string updated_by;
};

struct TransferPatch {
  std::optional<UnixMillis> transfer_day;
  std::optional<std::int64_t> amount_minor;
  std::optional<std::string> currency, contributor, reference, notes;
  std::optional<std::optional<std::int64_t>> case_id;
  bool empty() const;
};
void ApplyPatch(Transfer& transfer, const TransferPatch& patch);

// kInvalidArgument naming the field for an empty title or partner, a status or service outside
// its vocabulary or a repeated one, a repeated prefecture; kUnprocessable naming "currency"
// (not ISO 4217), "amount_minor" (negative or too large), "end_day" (before start_day).
// Sorts the services into vocabulary order. Prefectures are the service's to check.
Status ValidateProject(Project& project);
// kUnprocessable naming "period_end" (before the start) or the group ("women", ...) that is
// negative or too large; "period_start" for a period that ends before the project starts or
// starts after it ends.
Status ValidateBeneficiaries(const Beneficiaries& entry, const Project& project);
// kInvalidArgument naming "contributor" when empty; kUnprocessable naming "currency",
// "amount_minor" (zero, negative or too large) or "transfer_day" (after `today`).
Status ValidateTransfer(const Transfer& transfer, UnixMillis today);

// "YYYY-MM-DD" to midnight UTC; kInvalidArgument naming `field` otherwise.
Result<UnixMillis> ParseDay(std::string_view text, std::string_view field);
std::string FormatDay(UnixMillis day);
int YearOfDay(UnixMillis day);

// The figures: sums per year and currency (never added across currencies), and people reached.
struct Sum {
  int year = 0;
  std::string currency;
  std::int64_t amount_minor = 0;
  std::int64_t count = 0;
};
struct BeneficiaryTotals {
  int year = 0;  // of the period's start; 0 for the total of every year
  std::int64_t women = 0, girls = 0, men = 0, boys = 0, children_born_of_sea = 0;
  std::int64_t Total() const { return women + girls + men + boys + children_born_of_sea; }
};
struct Figures {
  std::vector<Sum> funded;       // projects' amounts by the year they start
  std::vector<Sum> transferred;  // transfers by the year of the transfer
  std::vector<BeneficiaryTotals> beneficiaries_by_year;
  BeneficiaryTotals beneficiaries_total;
  std::int64_t projects = 0, active_projects = 0;
};
// Sums the beneficiary periods, by year of their start, ordered by year.
void AddBeneficiaries(Figures& figures, const std::vector<Beneficiaries>& entries);

}  // namespace psea::trustfund
