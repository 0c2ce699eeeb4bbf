// The evidence log of an allegation case: evidence items, their chain of custody (append-only,
// hash-chained), their attachments (encrypted files), and the Immediate Response Team's
// deployments. Pure types and the chain's hash; no SQL, no HTTP.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace psea::evidence {

// An item's status, after each custody entry.
inline const std::vector<std::string_view> kItemStatuses = {"held", "transferred", "returned",
                                                            "destroyed"};

struct CustodyEntry {
  std::int64_t id = 0;
  std::int64_t item_id = 0;
  std::int64_t seq = 0;  // 1 is the collection, made with the item
  std::string from_holder;
  std::string to_holder;
  UnixMillis at = 0;  // when the item changed hands
  std::string purpose;
  std::string status;            // the item's status after this entry
  std::string storage_location;  // where the item is kept after this entry
  std::int64_t recorded_by = 0;
  std::string recorded_by_username;
  UnixMillis recorded_at = 0;
  std::string prev_hash;  // the previous entry's hash; "" for seq 1
  std::string hash;       // hex SHA-256 of EntryContent
};

struct Attachment {
  std::int64_t id = 0;
  std::int64_t item_id = 0;
  std::string filename;
  std::string content_type;
  std::int64_t size = 0;
  std::string sha256;  // hex, of the plaintext
  std::int64_t added_by = 0;
  std::string added_by_username;
  UnixMillis added_at = 0;
};

struct Item {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  std::string label;
  std::string description;
  std::string collected_by;
  UnixMillis collected_at = 0;
  std::string place_collected;
  // Follow the last custody entry.
  std::string storage_location;
  std::string status = "held";
  std::int64_t created_by = 0;
  std::string created_by_username;
  UnixMillis created_at = 0;
  std::vector<CustodyEntry> custody;  // in seq order
  std::vector<Attachment> attachments;
};

struct Deployment {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  UnixMillis alerted_at = 0;
  std::optional<UnixMillis> deployed_at;
  std::string team;  // members' names and roles, free text
  std::string place;
  std::string actions;
  std::int64_t created_by = 0;
  std::string created_by_username;
  UnixMillis created_at = 0;
};

// Hours from alert to deployment (one decimal), nullopt while not deployed.
std::optional<double> HoursToDeploy(const Deployment& deployment);

// What a custody entry's hash covers: the item's collection facts (so a changed label,
// description, collector, time or place of collection breaks the chain), the entry's own
// fields and the previous entry's hash. A JSON array, so no field can run into the next.
std::string EntryContent(const Item& item, const CustodyEntry& entry);
// Hex SHA-256 of EntryContent.
std::string EntryHash(const Item& item, const CustodyEntry& entry);

// The integrity verdict of one item.
struct ItemIntegrity {
  std::int64_t item_id = 0;
  std::string label;
  bool custody_intact = true;
  // Seq numbers of the entries whose hash or link does not match, and what is wrong.
  std::vector<std::string> custody_problems;
  struct AttachmentCheck {
    std::int64_t id = 0;
    std::string filename;
    std::string sha256;
    // "intact", "missing" (no file), "undecryptable" (file or key damaged), "mismatch"
    // (decrypts, but not to the recorded SHA-256)
    std::string state;
  };
  std::vector<AttachmentCheck> attachments;
  bool intact() const;
};

// Walks the chain of `item.custody` (in seq order): each entry links to the one before and
// hashes to its stored hash; the seq numbers run 1, 2, ...; the item's status and storage
// location are those of the last entry. Fills custody_intact and custody_problems.
void CheckCustody(const Item& item, ItemIntegrity& out);

}  // namespace psea::evidence
