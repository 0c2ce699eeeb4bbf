#include "http/download.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace psea::http {
namespace {

TEST(SafeFilenameTest, KeepsWhatIsSafeAndReplacesTheRest) {
  struct Case {
    std::string in, out;
  };
  for (const auto& c : std::vector<Case>{
           {"minutes march.pdf", "minutes march.pdf"},
           {"récit de la victime.pdf", "récit de la victime.pdf"},
           {"../../etc/passwd", "etc_passwd"},
           {"C:\\Users\\x\\photo.jpg", "C__Users_x_photo.jpg"},
           {"say \"cheese\".jpg", "say _cheese_.jpg"},
           {"two\r\nlines.txt", "two__lines.txt"},
           {"bell\a.txt", "bell_.txt"},
           {".env", "env"},
           {"...", ""},
           {"", ""},
           {"   ", ""},
           {"name. ", "name"},
           {"bad\xff"
            "byte.pdf",
            "badbyte.pdf"},
           {"evil\xE2\x80\xAE"
            "fdp.exe",
            "evil_fdp.exe"},
           {"tab\there", "tab_here"},
       }) {
    EXPECT_EQ(SafeFilename(c.in), c.out) << c.in;
  }
}

TEST(SafeFilenameTest, LongNamesKeepTheirExtensionAndWholeCharacters) {
  std::string long_name;
  for (int i = 0; i < 100; ++i) long_name += "é";
  const std::string safe = SafeFilename(long_name + ".docx");
  EXPECT_LE(safe.size(), 120u);
  EXPECT_EQ(safe.substr(safe.size() - 5), ".docx");
  EXPECT_EQ(safe.size(), 114u + 5u);  // 57 two-byte characters fit before ".docx"
}

TEST(ContentDispositionTest, AsciiNamesNeedNoExtendedForm) {
  EXPECT_EQ(ContentDisposition("psea-audit.csv"), "attachment; filename=\"psea-audit.csv\"");
}

TEST(ContentDispositionTest, Rfc6266FallbackAndPercentEncodedUtf8) {
  EXPECT_EQ(ContentDisposition("récit été.pdf"),
            "attachment; filename=\"recit ete.pdf\"; "
            "filename*=UTF-8''r%C3%A9cit%20%C3%A9t%C3%A9.pdf");
  EXPECT_EQ(ContentDisposition("Ѳ 100%.txt"),
            "attachment; filename=\"_ 100_.txt\"; filename*=UTF-8''%D1%B2%20100%25.txt");
}

TEST(ContentDispositionTest, HeaderInjectionIsImpossible) {
  const std::string value = ContentDisposition("a\r\nSet-Cookie: x=1;\".pdf");
  EXPECT_EQ(value.find('\r'), std::string::npos);
  EXPECT_EQ(value.find('\n'), std::string::npos);
  EXPECT_EQ(value, "attachment; filename=\"a__Set-Cookie_ x=1;_.pdf\"");
}

TEST(ContentDispositionTest, EmptyNamesFallBack) {
  EXPECT_EQ(ContentDisposition("", "attachment-7"), "attachment; filename=\"attachment-7\"");
  EXPECT_EQ(ContentDisposition("/..", "attachment-7"), "attachment; filename=\"attachment-7\"");
}

TEST(DownloadResponseTest, SetsTypeAndDisposition) {
  auto response = DownloadResponse("a,b\r\n", "text/csv; charset=utf-8", "é.csv");
  EXPECT_EQ(*response.headers.find("content-type"),
            (std::pair<const std::string, std::string>("Content-Type", "text/csv; charset=utf-8")));
  EXPECT_EQ(response.body, "a,b\r\n");
  EXPECT_NE(
      response.headers.find("content-disposition")->second.find("filename*=UTF-8''%C3%A9.csv"),
      std::string::npos);
}

}  // namespace
}  // namespace psea::http
