#include "core/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace psea {
namespace {

using namespace std::string_literals;

TEST(Utf8Test, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ASCII"));
  EXPECT_TRUE(IsValidUtf8("Bangui, Mbaïki, Bégoua"));
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x99\x82"));  // U+1F642
  EXPECT_EQ(Utf8SequenceLength("é", 0), 2u);
}

TEST(Utf8Test, RefusesWhatRfc3629Forbids) {
  EXPECT_FALSE(IsValidUtf8("\x80"));              // a stray continuation byte
  EXPECT_FALSE(IsValidUtf8("\xC3\x28"));          // a bad continuation
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong, three bytes
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // a surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));          // cut short
  EXPECT_EQ(Utf8SequenceLength("a\xFF", 1), 0u);
}

TEST(AppendUtf8, EncodesEachLengthAndReplacesWhatIsNoScalarValue) {
  std::string out;
  for (char32_t c : {U'A', U'\u00e9', U'\u20ac', U'\U0001F600'}) AppendUtf8(out, c);
  EXPECT_EQ(out, "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
  out.clear();
  AppendUtf8(out, 0xD800);
  AppendUtf8(out, 0x110000);
  EXPECT_EQ(out, "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(EscapeMarkup, EscapesTheFiveCharactersOnly) {
  EXPECT_EQ(EscapeMarkup("<a href=\"x\">O'Neil & co</a> \xC3\xA9"),
            "&lt;a href=&quot;x&quot;&gt;O&#39;Neil &amp; co&lt;/a&gt; \xC3\xA9");
}

}  // namespace
}  // namespace psea
