#include "core/revision_cache.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace psea {
namespace {

using Cache = RevisionCache<int, std::string>;

std::shared_ptr<const std::string> Text(const char* text) {
  return std::make_shared<const std::string>(text);
}

TEST(RevisionCacheTest, HitsOnlyAtTheStoredRevision) {
  Cache cache(4);
  EXPECT_EQ(cache.Find(1, 0), nullptr);
  cache.Store(1, 3, Text("three"));
  ASSERT_NE(cache.Find(1, 3), nullptr);
  EXPECT_EQ(*cache.Find(1, 3), "three");
  EXPECT_EQ(cache.Find(1, 4), nullptr);  // written since: computed again
  EXPECT_EQ(cache.Find(1, 2), nullptr);  // an older snapshot: never given newer data
  EXPECT_EQ(cache.Find(2, 3), nullptr);
  const auto counts = cache.counts();
  EXPECT_EQ(counts.hits, 2u);
  EXPECT_EQ(counts.misses, 4u);
}

TEST(RevisionCacheTest, AnOlderRevisionDoesNotReplaceANewerOne) {
  Cache cache(4);
  cache.Store(1, 5, Text("five"));
  cache.Store(1, 4, Text("four"));  // a slow reader finishing late
  EXPECT_EQ(cache.Find(1, 4), nullptr);
  EXPECT_EQ(*cache.Find(1, 5), "five");
  cache.Store(1, 6, Text("six"));
  EXPECT_EQ(cache.Find(1, 5), nullptr);
  EXPECT_EQ(*cache.Find(1, 6), "six");
  EXPECT_EQ(cache.counts().size, 1u);
}

TEST(RevisionCacheTest, EvictsTheLeastRecentlyUsed) {
  Cache cache(2);
  cache.Store(1, 0, Text("one"));
  cache.Store(2, 0, Text("two"));
  ASSERT_NE(cache.Find(1, 0), nullptr);  // 2 is now the least recently used
  cache.Store(3, 0, Text("three"));
  EXPECT_NE(cache.Find(1, 0), nullptr);
  EXPECT_EQ(cache.Find(2, 0), nullptr);
  EXPECT_NE(cache.Find(3, 0), nullptr);
  EXPECT_EQ(cache.counts().size, 2u);
}

TEST(RevisionCacheTest, AValueOutlivesItsEviction) {
  Cache cache(1);
  cache.Store(1, 0, Text("one"));
  auto held = cache.Find(1, 0);
  cache.Store(2, 0, Text("two"));
  cache.Clear();
  EXPECT_EQ(*held, "one");  // a request still writing its response keeps its value
}

}  // namespace
}  // namespace psea
