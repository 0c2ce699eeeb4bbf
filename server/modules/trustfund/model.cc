#include "modules/trustfund/model.h"

#include <algorithm>
#include <array>
#include <map>
#include <utility>

namespace psea::trustfund {

namespace {
// Active ISO 4217 currency codes (the list of the maintenance agency, SIX, as of 2025),
// without precious metals, testing codes and the SDR: money a Member State transfers.
constexpr std::string_view kCurrencies =
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN "
    "BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN "
    "ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD "
    "JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT "
    "MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG "
    "QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT "
    "TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XCD XCG XOF "
    "XPF YER ZAR ZMW ZWG";
// Every code not listed here has two minor-unit digits.
constexpr std::array<std::pair<std::string_view, int>, 26> kExponents = {{
    {"BHD", 3}, {"BIF", 0}, {"CLF", 4}, {"CLP", 0}, {"DJF", 0}, {"GNF", 0}, {"IQD", 3},
    {"ISK", 0}, {"JOD", 3}, {"JPY", 0}, {"KMF", 0}, {"KRW", 0}, {"KWD", 3}, {"LYD", 3},
    {"OMR", 3}, {"PYG", 0}, {"RWF", 0}, {"TND", 3}, {"UGX", 0}, {"UYI", 0}, {"UYW", 4},
    {"VND", 0}, {"VUV", 0}, {"XAF", 0}, {"XOF", 0}, {"XPF", 0},
}};

bool IsThreeCapitals(std::string_view code) {
  return code.size() == 3 &&
         std::all_of(code.begin(), code.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
}

Status CheckAmount(std::int64_t amount, bool allow_zero) {
  if (amount < 0) return Unprocessable("an amount is never negative", "amount_minor");
  if (amount == 0 && !allow_zero) return Unprocessable("a transfer has an amount", "amount_minor");
  if (amount > kMaxAmountMinor) return Unprocessable("the amount is too large", "amount_minor");
  return Status::Ok();
}

Status CheckCurrency(std::string_view code) {
  if (!CurrencyExponent(code)) {
    return Unprocessable("an ISO 4217 currency code, such as USD or XAF", "currency");
  }
  return Status::Ok();
}
}  // namespace

bool IsOneOf(const std::vector<std::string_view>& vocabulary, std::string_view value) {
  return std::find(vocabulary.begin(), vocabulary.end(), value) != vocabulary.end();
}

std::optional<int> CurrencyExponent(std::string_view code) {
  if (!IsThreeCapitals(code)) return std::nullopt;
  for (std::size_t at = 0; at + 3 <= kCurrencies.size(); at += 4) {
    if (kCurrencies.substr(at, 3) != code) continue;
    for (const auto& [listed, exponent] : kExponents) {
      if (listed == code) return exponent;
    }
    return 2;
  }
  return std::nullopt;
}

bool ProjectPatch::empty() const {
  return !title && !partner && !currency && !status && !notes && !provider_id && !amount_minor &&
         !start_day && !end_day && !prefectures && !services;
}

void ApplyPatch(Project& p, const ProjectPatch& patch) {
  if (patch.title) p.title = *patch.title;
  if (patch.partner) p.partner = *patch.partner;
  if (patch.currency) p.currency = *patch.currency;
  if (patch.status) p.status = *patch.status;
  if (patch.notes) p.notes = *patch.notes;
  if (patch.provider_id) p.provider_id = *patch.provider_id;
  if (patch.amount_minor) p.amount_minor = *patch.amount_minor;
  if (patch.start_day) p.start_day = *patch.start_day;
  if (patch.end_day) p.end_day = *patch.end_day;
  if (patch.prefectures) p.prefectures = *patch.prefectures;
  if (patch.services) p.services = *patch.services;
}

bool TransferPatch::empty() const {
  return !transfer_day && !amount_minor && !currency && !contributor && !reference && !notes &&
         !case_id;
}

void ApplyPatch(Transfer& t, const TransferPatch& patch) {
  if (patch.transfer_day) t.transfer_day = *patch.transfer_day;
  if (patch.amount_minor) t.amount_minor = *patch.amount_minor;
  if (patch.currency) t.currency = *patch.currency;
  if (patch.contributor) t.contributor = *patch.contributor;
  if (patch.reference) t.reference = *patch.reference;
  if (patch.notes) t.notes = *patch.notes;
  if (patch.case_id) t.case_id = *patch.case_id;
}

Status ValidateProject(Project& p) {
  if (p.title.empty()) return InvalidArgument("a project needs a title", "title");
  if (p.partner.empty()) return InvalidArgument("name the implementing partner", "partner");
  if (!IsOneOf(kProjectStatuses, p.status)) return InvalidArgument("unknown status", "status");
  std::vector<std::string> sorted;
  for (const auto& service : p.services) {
    if (!IsOneOf(kServices, service)) return InvalidArgument("unknown service", "services");
  }
  for (auto name : kServices) {
    const auto count = std::count(p.services.begin(), p.services.end(), name);
    if (count > 1) return InvalidArgument("a service is named twice", "services");
    if (count == 1) sorted.emplace_back(name);
  }
  p.services = std::move(sorted);
  for (std::size_t i = 0; i < p.prefectures.size(); ++i) {
    if (std::count(p.prefectures.begin(), p.prefectures.end(), p.prefectures[i]) > 1) {
      return InvalidArgument("a prefecture is named twice", "prefectures");
    }
  }
  RETURN_IF_ERROR(CheckCurrency(p.currency));
  RETURN_IF_ERROR(CheckAmount(p.amount_minor, true));
  if (p.end_day < p.start_day) {
    return Unprocessable("the project ends before it starts", "end_day");
  }
  return Status::Ok();
}

Status ValidateBeneficiaries(const Beneficiaries& e, const Project& project) {
  if (e.period_end < e.period_start) {
    return Unprocessable("the period ends before it starts", "period_end");
  }
  if (e.period_end < project.start_day || e.period_start > project.end_day) {
    return Unprocessable("the period is outside the project's", "period_start");
  }
  const std::pair<std::int64_t, const char*> groups[] = {
      {e.women, "women"},
      {e.girls, "girls"},
      {e.men, "men"},
      {e.boys, "boys"},
      {e.children_born_of_sea, "children_born_of_sea"}};
  for (const auto& [count, name] : groups) {
    if (count < 0) return Unprocessable("a count is never negative", name);
    if (count > kMaxBeneficiaries) return Unprocessable("the count is too large", name);
  }
  return Status::Ok();
}

Status ValidateTransfer(const Transfer& t, UnixMillis today) {
  if (t.contributor.empty()) {
    return InvalidArgument("name the Member State or entity that withheld it", "contributor");
  }
  RETURN_IF_ERROR(CheckCurrency(t.currency));
  RETURN_IF_ERROR(CheckAmount(t.amount_minor, false));
  if (t.transfer_day > today) return Unprocessable("the date is in the future", "transfer_day");
  return Status::Ok();
}

Result<UnixMillis> ParseDay(std::string_view text, std::string_view field) {
  if (text.size() != 10) return InvalidArgument("a date YYYY-MM-DD", std::string(field));
  auto day = ParseIso8601(text);
  if (!day) return InvalidArgument("a date YYYY-MM-DD", std::string(field));
  return *day;
}

std::string FormatDay(UnixMillis day) { return FormatIso8601(day).substr(0, 10); }

int YearOfDay(UnixMillis day) { return std::stoi(FormatIso8601(day).substr(0, 4)); }

void AddBeneficiaries(Figures& figures, const std::vector<Beneficiaries>& entries) {
  std::map<int, BeneficiaryTotals> by_year;
  auto add = [](BeneficiaryTotals& to, const Beneficiaries& e) {
    to.women += e.women;
    to.girls += e.girls;
    to.men += e.men;
    to.boys += e.boys;
    to.children_born_of_sea += e.children_born_of_sea;
  };
  for (const auto& e : entries) {
    const int year = YearOfDay(e.period_start);
    auto& totals = by_year[year];
    totals.year = year;
    add(totals, e);
    add(figures.beneficiaries_total, e);
  }
  for (auto& [year, totals] : by_year) figures.beneficiaries_by_year.push_back(totals);
}

}  // namespace psea::trustfund
