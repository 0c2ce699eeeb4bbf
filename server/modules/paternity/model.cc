#include "modules/paternity/model.h"

#include <algorithm>
#include <boost/json.hpp>

#include "security/crypto.h"

namespace psea::paternity {

namespace json = boost::json;

bool IsOneOf(const std::vector<std::string_view>& vocabulary, std::string_view value) {
  return std::find(vocabulary.begin(), vocabulary.end(), value) != vocabulary.end();
}

Status CheckDateOrder(const Claim& claim) {
  if (claim.ms_notified_at && *claim.ms_notified_at < claim.claim_date) {
    return Unprocessable("the Member State cannot be notified before the claim date",
                         "ms_notified_at");
  }
  if (claim.closed_at && *claim.closed_at < claim.claim_date) {
    return Unprocessable("a claim cannot close before its claim date", "status");
  }
  if (claim.tested_at) {
    if (!claim.sample_collected_at) {
      return Unprocessable("record the sample's collection before its test", "tested_at");
    }
    if (*claim.tested_at < *claim.sample_collected_at) {
      return Unprocessable("the sample cannot be tested before it was collected", "tested_at");
    }
  }
  if (claim.result == "pending") {
    if (claim.result_at) return Unprocessable("a pending result has no date", "result_at");
    return Status::Ok();
  }
  if (!claim.result_at) return Unprocessable("give the date of the result", "result_at");
  if (claim.result == "established_by_dna" && !claim.tested_at) {
    return Unprocessable("a result established by DNA needs the sample's test (tested_at)",
                         "result");
  }
  if (claim.sample_collected_at && *claim.result_at < *claim.sample_collected_at) {
    return Unprocessable("the result cannot come before the sample was collected", "result_at");
  }
  if (claim.tested_at && claim.result == "established_by_dna" &&
      *claim.result_at < *claim.tested_at) {
    return Unprocessable("the result cannot come before the sample was tested", "result_at");
  }
  return Status::Ok();
}

std::string CustodyContent(const Claim& claim, const CustodyEntry& entry) {
  json::array content{"psea-paternity-custody-v1",
                      claim.id,
                      claim.file_id,
                      claim.sample_collected_by,
                      claim.sample_collected_at.value_or(0),
                      claim.sample_place,
                      entry.seq,
                      entry.from_holder,
                      entry.to_holder,
                      entry.at,
                      entry.place,
                      entry.seal_intact,
                      entry.note,
                      entry.recorded_by,
                      entry.recorded_by_username,
                      entry.recorded_at,
                      entry.prev_hash};
  return json::serialize(content);
}

std::string CustodyHash(const Claim& claim, const CustodyEntry& entry) {
  return security::HexEncode(security::Sha256(CustodyContent(claim, entry)));
}

CustodyCheck CheckCustody(const Claim& claim) {
  CustodyCheck out;
  auto problem = [&out](std::string text) {
    out.intact = false;
    out.problems.push_back(std::move(text));
  };
  std::string previous_hash;
  std::int64_t expected_seq = 1;
  const CustodyEntry* previous = nullptr;
  for (const auto& entry : claim.custody) {
    const std::string at = "entry " + std::to_string(entry.seq);
    if (entry.seq != expected_seq) {
      problem(at + ": expected entry " + std::to_string(expected_seq) + " (one is missing)");
    }
    expected_seq = entry.seq + 1;
    if (entry.prev_hash != previous_hash) problem(at + ": does not link to the entry before");
    if (CustodyHash(claim, entry) != entry.hash) {
      problem(at + ": its content does not match its hash");
    }
    if (previous) {
      if (entry.at < previous->at) problem(at + ": dated before the entry before");
      if (entry.from_holder != previous->to_holder) {
        problem(at + ": handed over by someone who did not hold the sample");
      }
    }
    if (!entry.seal_intact) out.seals_intact = false;
    previous_hash = entry.hash;
    previous = &entry;
  }
  return out;
}

AgeBands OpenClaimsByAge(const std::vector<ClaimSpan>& claims, UnixMillis at) {
  constexpr std::int64_t kDay = 24LL * 3600 * 1000;
  AgeBands bands;
  for (const auto& claim : claims) {
    if (claim.claim_date > at) continue;
    if (claim.closed_at && *claim.closed_at <= at) continue;
    const std::int64_t days = (at - claim.claim_date) / kDay;
    const std::size_t band = days < 90 ? 0 : days < 180 ? 1 : days < 365 ? 2 : 3;
    ++bands.counts[band];
    ++bands.total;
  }
  return bands;
}

}  // namespace psea::paternity
