// SQL of the gap table and the assistance figures over the assistance tables (read only). Each
// method is one statement with one GROUP BY or one aggregate, served by the indexes of the
// assistance migration (assistance_needs_open on (status, type), the files' primary key), and
// runs on the caller's connection.
#pragma once

#include <cstdint>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "modules/assistance/gaps.h"
#include "storage/database.h"

namespace psea::assistance {

class GapsStore {
 public:
  // Per (file prefecture, need type): distinct open files with an open need (`needing`) and
  // distinct files, open or closed, with a need met (`assisted`). Needs closed without being met
  // count in neither.
  Result<std::vector<NeedDemand>> NeedsByPrefectureAndType(storage::Connection& c) const;
  // Distinct files with a need met in [from, to).
  Result<std::int64_t> FilesWithNeedMetBetween(storage::Connection& c, UnixMillis from,
                                               UnixMillis to) const;
};

}  // namespace psea::assistance
