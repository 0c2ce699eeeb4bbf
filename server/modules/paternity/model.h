// Paternity claims and child support (issue 13): a claim made for a child born of sexual
// exploitation or abuse, linked to a victim's assistance file and, when known, to a subject of
// a case; the Member State's notification; the DNA sample, its chain of custody (hash-chained
// like the evidence log's) and the laboratory that tests it; the result; the child support
// arranged and the payments followed. Types and pure rules only: no database, no HTTP.
//
// The child's name and date of birth and the mother's or guardian's wishes are never here in
// clear: they are one sealed vault item (SealedPart) that the service seals and opens.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace psea::paternity {

// Closed vocabularies (the API refuses any other value, naming the field).
inline const std::vector<std::string_view> kClaimStatuses = {"open", "closed"};
inline const std::vector<std::string_view> kResults = {
    "pending", "established_by_dna", "established_by_admission", "not_established"};
inline const std::vector<std::string_view> kSupportKinds = {"court_order", "voluntary_agreement",
                                                            "member_state_arrangement",
                                                            "interim_assistance", "other"};
inline const std::vector<std::string_view> kFrequencies = {"one_off", "monthly", "quarterly",
                                                           "yearly"};
// From whom the support comes.
inline const std::vector<std::string_view> kPayers = {"subject", "member_state", "un_trust_fund",
                                                      "other"};
inline const std::vector<std::string_view> kPaymentStates = {"received", "missed"};

bool IsOneOf(const std::vector<std::string_view>& vocabulary, std::string_view value);

// One hand-over of the DNA sample. Seq 1 is the collection itself. Append-only and hash-chained:
// each entry's hash covers the claim's collection facts, its own fields and the hash before.
struct CustodyEntry {
  std::int64_t id = 0;
  std::int64_t claim_id = 0;
  std::int64_t seq = 0;
  std::string from_holder;  // "" for the collection
  std::string to_holder;
  UnixMillis at = 0;
  std::string place;
  bool seal_intact = true;  // the sample's seal was checked and found intact at the hand-over
  std::string note;
  std::int64_t recorded_by = 0;
  std::string recorded_by_username;
  UnixMillis recorded_at = 0;
  std::string prev_hash;  // "" for seq 1
  std::string hash;       // hex SHA-256 of CustodyContent
};

struct Payment {
  std::int64_t id = 0;
  std::int64_t support_id = 0;
  UnixMillis on = 0;              // the day it was due or received
  std::int64_t amount_cents = 0;  // what was received, or what was due when missed
  std::string state;              // kPaymentStates
  std::string note;
  std::string recorded_by_username;
  UnixMillis recorded_at = 0;
};

// A child support arrangement: amounts in hundredths of the currency (ISO 4217 code).
struct Support {
  std::int64_t id = 0;
  std::int64_t claim_id = 0;
  std::string kind;  // kSupportKinds
  std::int64_t amount_cents = 0;
  std::string currency;   // "XAF", "USD", ...
  std::string frequency;  // kFrequencies
  std::string payer;      // kPayers
  UnixMillis starts_on = 0;
  std::string note;
  std::string recorded_by_username;
  UnixMillis recorded_at = 0;
  std::vector<Payment> payments;  // by date
};

// The clear half of a claim: nothing here names the child or the mother.
struct Claim {
  std::int64_t id = 0;
  std::int64_t file_id = 0;                // the victim's assistance file
  std::optional<std::int64_t> case_id;     // the case of the subject, when known
  std::optional<std::int64_t> subject_id;  // a subject of that case
  UnixMillis claim_date = 0;
  std::string status = "open";
  std::optional<UnixMillis> closed_at;
  std::optional<std::int64_t> sealed_item;  // child's name and date of birth, wishes
  // Member State notification.
  std::optional<UnixMillis> ms_notified_at;
  std::string ms_reference;
  // DNA sample: collected (seq 1 of the custody), then tested by a laboratory.
  std::string sample_collected_by;
  std::optional<UnixMillis> sample_collected_at;
  std::string sample_place;
  std::string lab;
  std::optional<UnixMillis> tested_at;
  std::string result = "pending";
  std::optional<UnixMillis> result_at;
  std::int64_t created_by = 0;
  std::string created_by_username;
  UnixMillis created_at = 0;
  UnixMillis updated_at = 0;
  std::int64_t version = 1;
  std::vector<CustodyEntry> custody;  // seq order
  std::vector<Support> support;       // oldest first
};

// What the vault keeps sealed for a claim.
struct SealedPart {
  std::string child_name;
  std::string child_date_of_birth;  // YYYY-MM-DD, or ""
  std::string wishes;               // the mother's or guardian's wishes
};

// The dates of a claim in the order they must keep: kUnprocessable naming the first field out
// of order (ms_notified_at before claim_date; tested_at without a sample or before its
// collection; result_at before the sample's collection or its test; established_by_dna without
// a test; a result other than pending without result_at; pending with one; closed_at before
// claim_date).
// with one). Also: a payment before its arrangement starts is checked by the service.
Status CheckDateOrder(const Claim& claim);

// What a custody entry's hash covers. A JSON array led by a version tag, so that no field runs
// into the next and a later change of what is hashed gets a new tag.
std::string CustodyContent(const Claim& claim, const CustodyEntry& entry);
std::string CustodyHash(const Claim& claim, const CustodyEntry& entry);

struct CustodyCheck {
  bool intact = true;
  bool seals_intact = true;           // every hand-over found the seal intact
  std::vector<std::string> problems;  // "entry 3: ..."
};
// Walks the chain: seq 1, 2, ...; each entry links to the one before and hashes to its stored
// hash; times never go back; each hand-over starts from the previous holder.
CustodyCheck CheckCustody(const Claim& claim);

// The figure "open paternity claims by age": days since the claim date, in four bands.
inline const std::array<std::string_view, 4> kAgeBands = {"under_90", "90_to_179", "180_to_364",
                                                          "365_and_over"};
struct ClaimSpan {
  UnixMillis claim_date = 0;
  std::optional<UnixMillis> closed_at;
};
struct AgeBands {
  std::array<std::int64_t, 4> counts{};  // in the order of kAgeBands
  std::int64_t total = 0;
};
// The claims open at `at` (claimed at or before it, not closed by then), by age in whole days.
AgeBands OpenClaimsByAge(const std::vector<ClaimSpan>& claims, UnixMillis at);

}  // namespace psea::paternity
