#include "modules/evidence/model.h"

#include <boost/json.hpp>
#include <cmath>

#include "security/crypto.h"

namespace psea::evidence {

namespace json = boost::json;

std::optional<double> HoursToDeploy(const Deployment& deployment) {
  if (!deployment.deployed_at) return std::nullopt;
  const double hours =
      static_cast<double>(*deployment.deployed_at - deployment.alerted_at) / 3'600'000.0;
  return std::round(hours * 10.0) / 10.0;
}

std::string EntryContent(const Item& item, const CustodyEntry& entry) {
  // Version tag first: a later change of what is hashed gets a new tag, old entries keep theirs.
  json::array content{"psea-custody-v1",
                      item.id,
                      item.case_id,
                      item.label,
                      item.description,
                      item.collected_by,
                      item.collected_at,
                      item.place_collected,
                      entry.seq,
                      entry.from_holder,
                      entry.to_holder,
                      entry.at,
                      entry.purpose,
                      entry.status,
                      entry.storage_location,
                      entry.recorded_by,
                      entry.recorded_by_username,
                      entry.recorded_at,
                      entry.prev_hash};
  return json::serialize(content);
}

std::string EntryHash(const Item& item, const CustodyEntry& entry) {
  return security::HexEncode(security::Sha256(EntryContent(item, entry)));
}

bool ItemIntegrity::intact() const {
  if (!custody_intact) return false;
  for (const auto& attachment : attachments) {
    if (attachment.state != "intact") return false;
  }
  return true;
}

void CheckCustody(const Item& item, ItemIntegrity& out) {
  out.item_id = item.id;
  out.label = item.label;
  auto problem = [&out](std::string text) {
    out.custody_intact = false;
    out.custody_problems.push_back(std::move(text));
  };
  if (item.custody.empty()) {
    problem("the item has no custody entry");
    return;
  }
  std::string previous;
  std::int64_t expected_seq = 1;
  for (const auto& entry : item.custody) {
    const std::string at = "entry " + std::to_string(entry.seq);
    if (entry.seq != expected_seq) {
      problem(at + ": expected entry " + std::to_string(expected_seq) + " (one is missing)");
    }
    expected_seq = entry.seq + 1;
    if (entry.prev_hash != previous) problem(at + ": does not link to the entry before");
    if (EntryHash(item, entry) != entry.hash) problem(at + ": its content does not match its hash");
    previous = entry.hash;
  }
  const auto& last = item.custody.back();
  if (item.status != last.status || item.storage_location != last.storage_location) {
    problem("the item's status or storage location differs from its last custody entry");
  }
}

}  // namespace psea::evidence
