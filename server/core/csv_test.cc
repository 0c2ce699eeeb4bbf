#include "core/csv.h"

#include <gtest/gtest.h>

namespace psea::csv {
namespace {

TEST(CsvTest, QuotesOnlyWhatRfc4180Requires) {
  struct Case {
    std::string in, out;
  };
  for (const auto& c : std::vector<Case>{
           {"plain", "plain"},
           {"", ""},
           {"Bangui, Bimbo", "\"Bangui, Bimbo\""},
           {"say \"no\"", "\"say \"\"no\"\"\""},
           {"two\r\nlines", "\"two\r\nlines\""},
           {"one\nline", "\"one\nline\""},
           {"préfecture Ouham-Pendé", "préfecture Ouham-Pendé"},
           {" padded", "\" padded\""},
       }) {
    EXPECT_EQ(Text(c.in), c.out) << c.in;
  }
}

TEST(CsvTest, DefusesFormulas) {
  EXPECT_EQ(Text("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(Text("+1"), "\"'+1\"");
  EXPECT_EQ(Text("-2"), "\"'-2\"");
  EXPECT_EQ(Text("@SUM(A1)"), "\"'@SUM(A1)\"");
  EXPECT_EQ(Text("\tx"), "\"'\tx\"");
  EXPECT_EQ(Number(-2), "-2");
}

TEST(CsvTest, WriterStartsWithTheByteOrderMarkAndEndsRowsWithCrlf) {
  Writer writer;
  writer.Text("a").Number(1).Empty().EndRow().Text("é").EndRow();
  EXPECT_EQ(writer.Take(),
            "\xEF\xBB\xBF"
            "a,1,\r\né\r\n");
}

}  // namespace
}  // namespace psea::csv
