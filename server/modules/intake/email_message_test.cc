// Reading e-mail as the intake receives it: the shapes mailers send (plain, alternative, HTML
// only, transfer encodings, legacy charsets, encoded words, RFC 2231 names, nested parts,
// forwarded messages), broken bytes, and the limits. Every message is written here; names and
// addresses are made up (example.org).
#include "modules/intake/email_message.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace psea::intake {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

bool IsValidUtf8WithoutNul(std::string_view text) {
  std::size_t at = 0;
  while (at < text.size()) {
    const auto lead = static_cast<unsigned char>(text[at]);
    std::size_t length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    if (lead == 0 || (lead >= 0x80 && lead < 0xC2) || lead > 0xF4) return false;
    if (at + length > text.size()) return false;
    for (std::size_t i = 1; i < length; ++i) {
      if ((static_cast<unsigned char>(text[at + i]) & 0xC0) != 0x80) return false;
    }
    at += length;
  }
  return true;
}

EmailMessage ParseOk(std::string_view raw, const EmailLimits& limits = {}) {
  auto parsed = ParseEmail(raw, limits);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  if (!parsed.ok()) return {};
  EXPECT_TRUE(IsValidUtf8WithoutNul(parsed->text));
  EXPECT_TRUE(IsValidUtf8WithoutNul(parsed->subject));
  EXPECT_TRUE(IsValidUtf8WithoutNul(parsed->from_name));
  return std::move(parsed).value();
}

Status ParseError(std::string_view raw, const EmailLimits& limits = {}) {
  auto parsed = ParseEmail(raw, limits);
  EXPECT_FALSE(parsed.ok()) << "parsed, text: " << (parsed.ok() ? parsed->text : "");
  return parsed.ok() ? Status::Ok() : parsed.status();
}

constexpr std::string_view kHeaders =
    "From: Amina Exemple <amina.exemple@Example.ORG>\r\n"
    "To: cdt-intake@example.org\r\n"
    "Subject: Incident report\r\n"
    "Date: Tue, 03 Mar 2026 10:15:00 +0100\r\n"
    "Message-ID: <report-1@mail.example.org>\r\n"
    "MIME-Version: 1.0\r\n";

std::string WithHeaders(std::string_view rest) { return std::string(kHeaders) + std::string(rest); }

TEST(ParseEmailTest, PlainText) {
  const EmailMessage email =
      ParseOk(WithHeaders("Content-Type: text/plain; charset=utf-8\r\n"
                          "\r\n"
                          "I want to report what happened near the market.\r\n"
                          "Please call me back.\r\n"));
  EXPECT_EQ(email.from_address, "amina.exemple@example.org");
  EXPECT_EQ(email.from_name, "Amina Exemple");
  EXPECT_EQ(email.subject, "Incident report");
  EXPECT_EQ(email.message_id, "report-1@mail.example.org");
  ASSERT_TRUE(email.date.has_value());
  EXPECT_EQ(*email.date, 1772529300000);  // 2026-03-03T09:15:00Z
  EXPECT_EQ(email.text, "I want to report what happened near the market.\nPlease call me back.");
  EXPECT_TRUE(email.attachments.empty());
}

TEST(ParseEmailTest, NoContentTypeIsPlainText) {
  const EmailMessage email = ParseOk(
      "From: someone@example.org\n"
      "Subject: hello\n"
      "\n"
      "Just text, no MIME at all.\n");
  EXPECT_EQ(email.text, "Just text, no MIME at all.");
  EXPECT_EQ(email.from_name, "");
  EXPECT_FALSE(email.date.has_value());
}

TEST(ParseEmailTest, LocalPartKeepsItsCaseDomainIsLowerCased) {
  const EmailMessage email =
      ParseOk("From: \"Exemple, Jean\" <Jean.Exemple@MAIL.Example.Org>\n\nhello\n");
  EXPECT_EQ(email.from_address, "Jean.Exemple@mail.example.org");
  EXPECT_EQ(email.from_name, "Exemple, Jean");
}

TEST(ParseEmailTest, MboxFromLineIsSkipped) {
  const EmailMessage email = ParseOk(
      "From amina.exemple@example.org Tue Mar  3 10:15:00 2026\n"
      "From: amina.exemple@example.org\n"
      "Subject: from a mailbox export\n"
      "\n"
      "body\n");
  EXPECT_EQ(email.subject, "from a mailbox export");
  EXPECT_EQ(email.text, "body");
}

TEST(ParseEmailTest, MultipartAlternativePrefersPlain) {
  const EmailMessage email =
      ParseOk(WithHeaders("Content-Type: multipart/alternative; boundary=\"alt\"\r\n"
                          "\r\n"
                          "--alt\r\n"
                          "Content-Type: text/html; charset=utf-8\r\n"
                          "\r\n"
                          "<p>The <b>HTML</b> version</p>\r\n"
                          "--alt\r\n"
                          "Content-Type: text/plain; charset=utf-8\r\n"
                          "\r\n"
                          "The plain version\r\n"
                          "--alt--\r\n"));
  EXPECT_EQ(email.text, "The plain version");
  EXPECT_TRUE(email.attachments.empty());
}

TEST(ParseEmailTest, HtmlOnlyIsReducedToText) {
  const EmailMessage email = ParseOk(WithHeaders(
      "Content-Type: text/html; charset=utf-8\r\n"
      "\r\n"
      "<html><head><title>x</title><style>p { color: red; }</style>\r\n"
      "<script type=\"text/javascript\">alert('<p>no</p>');</script></head>\r\n"
      "<body><!-- a comment <p> -->\r\n"
      "<p>First   line,\r\n   still the first.</p><div>Second&nbsp;line<br>Third line</div>\r\n"
      "<ul><li>one &amp; two</li><li>&lt;three&gt; &quot;four&quot; it&#39;s</li></ul>\r\n"
      "<p>caf&#233; &#x20AC;5 &unknown; a &amp b</p>\r\n"
      "</body></html>\r\n"));
  EXPECT_EQ(email.text,
            "First line, still the first.\n\nSecond line\nThird line\n\none & two\n"
            "<three> \"four\" it's\n\ncaf\xC3\xA9 \xE2\x82\xAC"
            "5 &unknown; a &amp b");
  EXPECT_THAT(email.text, Not(HasSubstr("alert")));
  EXPECT_THAT(email.text, Not(HasSubstr("color")));
  EXPECT_THAT(email.text, Not(HasSubstr("comment")));
}

TEST(ParseEmailTest, AlternativeWithOnlyHtmlAndRelatedImage) {
  const EmailMessage email =
      ParseOk(WithHeaders("Content-Type: multipart/related; boundary=rel\r\n"
                          "\r\n"
                          "--rel\r\n"
                          "Content-Type: text/html\r\n"
                          "\r\n"
                          "<p>See the picture</p><img src=\"cid:photo\">\r\n"
                          "--rel\r\n"
                          "Content-Type: image/png\r\n"
                          "Content-ID: <photo>\r\n"
                          "Content-Transfer-Encoding: base64\r\n"
                          "\r\n"
                          "iVBORw0KGgoAAAANSUhEUg==\r\n"
                          "--rel--\r\n"));
  EXPECT_EQ(email.text, "See the picture");
  ASSERT_EQ(email.attachments.size(), 1u);
  EXPECT_EQ(email.attachments[0].content_type, "image/png");
  EXPECT_EQ(email.attachments[0].filename, "");
  EXPECT_EQ(email.attachments[0].data, std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
}

TEST(ParseEmailTest, QuotedPrintableBody) {
  const EmailMessage email =
      ParseOk(WithHeaders("Content-Type: text/plain; charset=UTF-8\r\n"
                          "Content-Transfer-Encoding: quoted-printable\r\n"
                          "\r\n"
                          "Caf=C3=A9 pr=C3=A8s du camp, une ligne tr=\r\n"
                          "=C3=A8s longue coup=C3=A9e.\r\n"));
  EXPECT_EQ(email.text,
            "Caf\xC3\xA9 pr\xC3\xA8s du camp, une ligne tr\xC3\xA8s longue coup\xC3\xA9"
            "e.");
}

TEST(ParseEmailTest, Base64Body) {
  const EmailMessage email = ParseOk(
      WithHeaders("Content-Type: text/plain; charset=utf-8\r\n"
                  "Content-Transfer-Encoding: base64\r\n"
                  "\r\n"
                  "SmUgc291aGFpdGUgc2lnbmFsZXIgdW4gaW5jaWRlbnQgc3VydmVudSBwcsOocyBkdSBjYW1wLgpN\r\n"
                  "ZXJjaSBkZSBtZSByYXBwZWxlci4=\r\n"));
  EXPECT_EQ(email.text,
            "Je souhaite signaler un incident survenu pr\xC3\xA8s du camp.\n"
            "Merci de me rappeler.");
}

// Charsets: the declared one converted to UTF-8; ISO-8859-1 read as its Windows superset.
struct CharsetCase {
  const char* name;
  const char* charset;  // nullptr: no charset parameter
  std::string body;
  std::string text;
};

TEST(ParseEmailTest, CharsetsAreConvertedToUtf8) {
  const CharsetCase cases[] = {
      {"latin1", "ISO-8859-1", "\xC9t\xE9 \xE0 Bangui", "\xC3\x89t\xC3\xA9 \xC3\xA0 Bangui"},
      {"latin1 that is really cp1252", "iso-8859-1", "\x80 5", "\xE2\x82\xAC 5"},
      {"cp1252", "windows-1252", "\x93quoted\x94 \x96 \x80",
       "\xE2\x80\x9Cquoted\xE2\x80\x9D \xE2\x80\x93 \xE2\x82\xAC"},
      {"undeclared latin1", nullptr, "d\xE9j\xE0", "d\xC3\xA9j\xC3\xA0"},
      {"undeclared utf-8", nullptr, "d\xC3\xA9j\xC3\xA0", "d\xC3\xA9j\xC3\xA0"},
      {"us-ascii that is utf-8", "us-ascii", "d\xC3\xA9j\xC3\xA0", "d\xC3\xA9j\xC3\xA0"},
      {"invalid utf-8", "utf-8", "d\xE9j\xE0 \xC3\xA9", "d\xEF\xBF\xBDj\xEF\xBF\xBD \xC3\xA9"},
      {"unknown charset, latin1 bytes", "x-no-such-charset", "d\xE9j\xE0", "d\xC3\xA9j\xC3\xA0"},
      {"unknown charset, utf-8 bytes", "x-no-such-charset", "ok \xC3\xA9", "ok \xC3\xA9"},
      {"NUL bytes dropped", "utf-8", std::string("a\0b", 3), "ab"},
  };
  for (const CharsetCase& test : cases) {
    SCOPED_TRACE(test.name);
    std::string content_type = "Content-Type: text/plain";
    if (test.charset != nullptr) content_type += std::string("; charset=") + test.charset;
    const EmailMessage email = ParseOk(WithHeaders(
        content_type + "\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + test.body + "\r\n"));
    EXPECT_EQ(email.text, test.text);
  }
}

TEST(ParseEmailTest, EncodedWordsInSubjectAndFromName) {
  const EmailMessage email = ParseOk(
      "From: =?ISO-8859-1?Q?H=E9l=E8ne_Exemple-Fran=E7ois?= <helene@example.org>\r\n"
      "Subject: =?UTF-8?B?U2lnbmFsZW1lbnQgw6AgQmFuZ3VpIOKAkyB0w6ltb2lnbmFnZQ==?=\r\n"
      " =?iso-8859-1?q?_d=E9pos=E9?=\r\n"
      "\r\n"
      "Bonjour.\r\n");
  EXPECT_EQ(email.from_name, "H\xC3\xA9l\xC3\xA8ne Exemple-Fran\xC3\xA7ois");
  EXPECT_EQ(email.from_address, "helene@example.org");
  EXPECT_EQ(email.subject,
            "Signalement \xC3\xA0 Bangui \xE2\x80\x93 t\xC3\xA9moignage d\xC3\xA9pos\xC3\xA9");
}

TEST(ParseEmailTest, AttachmentWithRfc2231Filename) {
  const EmailMessage email =
      ParseOk(WithHeaders("Content-Type: multipart/mixed; boundary=\"mix\"\r\n"
                          "\r\n"
                          "--mix\r\n"
                          "Content-Type: text/plain; charset=utf-8\r\n"
                          "\r\n"
                          "Statement attached.\r\n"
                          "--mix\r\n"
                          "Content-Type: application/pdf\r\n"
                          "Content-Disposition: attachment;\r\n"
                          " filename*0*=UTF-8''d%C3%A9claration%20;\r\n"
                          " filename*1*=sign%C3%A9e.pdf\r\n"
                          "Content-Transfer-Encoding: base64\r\n"
                          "\r\n"
                          "JVBERi0xLjQKJeLjz9MKMSAwIG9iag==\r\n"
                          "--mix--\r\n"));
  EXPECT_EQ(email.text, "Statement attached.");
  ASSERT_EQ(email.attachments.size(), 1u);
  EXPECT_EQ(email.attachments[0].filename,
            "d\xC3\xA9"
            "claration sign\xC3\xA9"
            "e.pdf");
  EXPECT_EQ(email.attachments[0].content_type, "application/pdf");
  EXPECT_EQ(email.attachments[0].data, "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj");
}

TEST(ParseEmailTest, EncodedWordFilenameAndTextAttachment) {
  const EmailMessage email =
      ParseOk(WithHeaders("Content-Type: multipart/mixed; boundary=mix\r\n"
                          "\r\n"
                          "--mix\r\n"
                          "Content-Type: text/plain\r\n"
                          "\r\n"
                          "See the notes.\r\n"
                          "--mix\r\n"
                          "Content-Type: text/plain; charset=utf-8; "
                          "name=\"=?UTF-8?Q?notes_d=C3=A9taill=C3=A9es.txt?=\"\r\n"
                          "\r\n"
                          "These notes are a file, not the body.\r\n"
                          "--mix--\r\n"));
  EXPECT_EQ(email.text, "See the notes.");
  ASSERT_EQ(email.attachments.size(), 1u);
  EXPECT_EQ(email.attachments[0].filename,
            "notes d\xC3\xA9taill\xC3\xA9"
            "es.txt");
  EXPECT_EQ(email.attachments[0].content_type, "text/plain");
  EXPECT_THAT(email.attachments[0].data, HasSubstr("These notes are a file"));
}

TEST(ParseEmailTest, NestedMultipartWithImageAndPdf) {
  const EmailMessage email =
      ParseOk(WithHeaders("Content-Type: multipart/mixed; boundary=outer\r\n"
                          "\r\n"
                          "This is a multi-part message in MIME format.\r\n"
                          "--outer\r\n"
                          "Content-Type: multipart/alternative; boundary=inner\r\n"
                          "\r\n"
                          "--inner\r\n"
                          "Content-Type: text/plain; charset=utf-8\r\n"
                          "\r\n"
                          "Photo and report attached.\r\n"
                          "--inner\r\n"
                          "Content-Type: text/html; charset=utf-8\r\n"
                          "\r\n"
                          "<p>Photo and <i>report</i> attached.</p>\r\n"
                          "--inner--\r\n"
                          "--outer\r\n"
                          "Content-Type: multipart/mixed; boundary=files\r\n"
                          "\r\n"
                          "--files\r\n"
                          "Content-Type: image/jpeg; name=\"photo.jpg\"\r\n"
                          "Content-Disposition: inline; filename=\"photo.jpg\"\r\n"
                          "Content-Transfer-Encoding: base64\r\n"
                          "\r\n"
                          "/9j/4AAQ\r\n"
                          "--files\r\n"
                          "Content-Type: application/pdf; name=\"report.pdf\"\r\n"
                          "Content-Disposition: attachment; filename=\"report.pdf\"\r\n"
                          "Content-Transfer-Encoding: base64\r\n"
                          "\r\n"
                          "JVBERi0xLjQKJeLjz9MKMSAwIG9iag==\r\n"
                          "--files--\r\n"
                          "--outer--\r\n"));
  EXPECT_EQ(email.text, "Photo and report attached.");
  ASSERT_EQ(email.attachments.size(), 2u);
  EXPECT_EQ(email.attachments[0].filename, "photo.jpg");
  EXPECT_EQ(email.attachments[0].content_type, "image/jpeg");
  EXPECT_EQ(email.attachments[0].data, std::string("\xFF\xD8\xFF\xE0\x00\x10", 6));
  EXPECT_EQ(email.attachments[1].filename, "report.pdf");
  EXPECT_EQ(email.attachments[1].content_type, "application/pdf");
  EXPECT_EQ(email.attachments[1].data, "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj");
}

TEST(ParseEmailTest, ForwardedMessageTextAndAttachments) {
  const EmailMessage email =
      ParseOk(WithHeaders("Content-Type: multipart/mixed; boundary=fwd\r\n"
                          "\r\n"
                          "--fwd\r\n"
                          "Content-Type: text/plain\r\n"
                          "\r\n"
                          "Forwarding what I received.\r\n"
                          "--fwd\r\n"
                          "Content-Type: message/rfc822\r\n"
                          "Content-Disposition: attachment; filename=\"original.eml\"\r\n"
                          "\r\n"
                          "From: =?UTF-8?Q?Jos=C3=A9_Exemple?= <jose@example.org>\r\n"
                          "Subject: =?UTF-8?Q?T=C3=A9moignage?=\r\n"
                          "Date: Fri, 27 Feb 2026 08:00:00 +0000\r\n"
                          "Content-Type: multipart/mixed; boundary=orig\r\n"
                          "\r\n"
                          "--orig\r\n"
                          "Content-Type: text/plain; charset=iso-8859-1\r\n"
                          "Content-Transfer-Encoding: quoted-printable\r\n"
                          "\r\n"
                          "Ce que j'ai vu =E0 la distribution.\r\n"
                          "--orig\r\n"
                          "Content-Type: audio/ogg\r\n"
                          "Content-Disposition: attachment; filename=\"voice.ogg\"\r\n"
                          "\r\n"
                          "OggS\r\n"
                          "--orig--\r\n"
                          "--fwd--\r\n"));
  EXPECT_EQ(email.text,
            "Forwarding what I received.\n\n"
            "--- forwarded message ---\n"
            "From: Jos\xC3\xA9 Exemple <jose@example.org>\n"
            "Date: 2026-02-27T08:00:00Z\n"
            "Subject: T\xC3\xA9moignage\n\n"
            "Ce que j'ai vu \xC3\xA0 la distribution.");
  ASSERT_EQ(email.attachments.size(), 1u);
  EXPECT_EQ(email.attachments[0].filename, "voice.ogg");
  EXPECT_EQ(email.attachments[0].content_type, "audio/ogg");
  EXPECT_EQ(email.attachments[0].data, "OggS");
}

TEST(ParseEmailTest, AttachmentOnlyMessageIsAccepted) {
  const EmailMessage email =
      ParseOk(WithHeaders("Content-Type: image/png\r\n"
                          "Content-Transfer-Encoding: base64\r\n"
                          "\r\n"
                          "iVBORw0KGgoAAAANSUhEUg==\r\n"));
  EXPECT_EQ(email.text, "");
  ASSERT_EQ(email.attachments.size(), 1u);
  EXPECT_EQ(email.attachments[0].content_type, "image/png");
}

// Broken input. What cannot be filed is kInvalidArgument (the caller quarantines it); what is
// damaged but readable gives what can be recovered.
TEST(ParseEmailTest, UnfileableInputsAreInvalidArgument) {
  struct Case {
    const char* name;
    std::string raw;
    const char* message_part;
  };
  const Case cases[] = {
      {"empty", "", "empty"},
      {"blank lines", "\r\n\r\n  \r\n", "empty"},
      {"garbage bytes", std::string("\x00\xFF\xFE garbage \x01\x02\n\x80\x81 more", 22),
       "no e-mail headers"},
      {"text without headers", "Hello, this is not an e-mail.\nSecond line.\n",
       "no e-mail headers"},
      {"a header-like line but no e-mail header", "Foo: bar\n\nbody\n", "no e-mail headers"},
      {"bare MIME part", "Content-Type: text/plain\n\nbody\n", "no e-mail headers"},
      {"headers only", "From: someone@example.org\r\nSubject: nothing\r\n", "neither text"},
      {"headers and an empty body", "From: someone@example.org\r\nSubject: x\r\n\r\n\r\n \r\n",
       "neither text"},
      {"multipart without parts",
       WithHeaders("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b--\r\n"), "neither text"},
  };
  for (const Case& test : cases) {
    SCOPED_TRACE(test.name);
    const Status status = ParseError(test.raw);
    EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(status.message(), HasSubstr(test.message_part));
    EXPECT_EQ(status.field(), "message");
  }
}

TEST(ParseEmailTest, TruncatedMultipartGivesWhatCanBeRead) {
  const EmailMessage email =
      ParseOk(WithHeaders("Content-Type: multipart/mixed; boundary=cut\r\n"
                          "\r\n"
                          "--cut\r\n"
                          "Content-Type: text/plain\r\n"
                          "\r\n"
                          "The first part arrived.\r\n"
                          "--cut\r\n"
                          "Content-Type: application/pdf\r\n"
                          "Content-Disposition: attachment; filename=\"cut.pdf\"\r\n"
                          "Content-Transfer-Encoding: base64\r\n"
                          "\r\n"
                          "JVBERi0xLj"));
  EXPECT_EQ(email.text, "The first part arrived.");
  ASSERT_EQ(email.attachments.size(), 1u);
  EXPECT_EQ(email.attachments[0].filename, "cut.pdf");
  EXPECT_EQ(email.attachments[0].data.substr(0, 5), "%PDF-");
}

TEST(ParseEmailTest, MultipartWithoutPartsKeepsItsText) {
  // No boundary parameter, or a boundary that never appears: the content is the text.
  EXPECT_EQ(ParseOk(WithHeaders("Content-Type: multipart/mixed\r\n"
                                "\r\n"
                                "Text of a sender whose mailer forgot the boundary.\r\n"))
                .text,
            "Text of a sender whose mailer forgot the boundary.");
  EXPECT_EQ(ParseOk(WithHeaders("Content-Type: multipart/mixed; boundary=never\r\n"
                                "\r\n"
                                "Text with no boundary line at all.\r\n"))
                .text,
            "Text with no boundary line at all.");
}

TEST(ParseEmailTest, DamagedPartsAreRepaired) {
  const EmailMessage email =
      ParseOk(WithHeaders("Content-Type: multipart/mixed; boundary=b\r\n"
                          "\r\n"
                          "--b\r\n"
                          "Content-Type: text/plain; charset=utf-8\r\n"
                          "Content-Transfer-Encoding: base64\r\n"
                          "\r\n"
                          "SGVs!!bG8g\r\n"
                          "8J+Y\r\n"  // a cut 4-byte sequence
                          "--b\r\n"
                          "Content-Type: text/plain; charset=utf-8\r\n"
                          "\r\n"
                          "bad \xC3\x28 bytes \xED\xA0\x80 here\r\n"
                          "--b--\r\n"));
  EXPECT_THAT(email.text, HasSubstr("Hello"));
  EXPECT_THAT(email.text, HasSubstr("bad \xEF\xBF\xBD( bytes"));
}

TEST(ParseEmailTest, ControlCharactersFromEncodingsAreTamed) {
  // Found by fuzz_email: a character reference to CR put a "\r" in the text.
  EXPECT_EQ(ParseOk("From: a@example.org\nContent-Type: text/html\n\none&#xd;two&#13;&#10;three "
                    "&#0; &#x110000; &#xD800;\n")
                .text,
            "one two three \xEF\xBF\xBD \xEF\xBF\xBD");
  // Encoded words may carry line breaks and other controls; header values stay on one line.
  const EmailMessage email = ParseOk(
      "From: =?UTF-8?Q?Ana=0D=0AExemple?= <ana@example.org>\n"
      "Subject: =?UTF-8?Q?line=0D=0Abreak=09tab=00nul?=\n"
      "Content-Type: application/octet-stream; name=\"=?UTF-8?Q?a=0Ab.bin?=\"\n"
      "\n"
      "data\n");
  EXPECT_EQ(email.from_name, "Ana  Exemple");
  EXPECT_EQ(email.subject, "line  break tab?nul");  // GMime itself turns the NUL into "?"
  ASSERT_EQ(email.attachments.size(), 1u);
  EXPECT_EQ(email.attachments[0].filename, "a b.bin");
}

TEST(ParseEmailTest, BadDateIsAbsent) {
  const EmailMessage email =
      ParseOk("From: a@example.org\nDate: the day before yesterday\n\nbody\n");
  EXPECT_FALSE(email.date.has_value());
}

TEST(ParseEmailTest, GroupSenderUsesItsFirstMember) {
  const EmailMessage email =
      ParseOk("From: Team: Ana Exemple <ana@Example.org>, bo@example.org;\n\nbody\n");
  EXPECT_EQ(email.from_address, "ana@example.org");
  EXPECT_EQ(email.from_name, "Ana Exemple");
}

// Limits.

std::string MixedWithAttachments(int count, std::size_t bytes_each) {
  std::string raw = WithHeaders("Content-Type: multipart/mixed; boundary=b\r\n\r\n");
  raw += "--b\r\nContent-Type: text/plain\r\n\r\nFiles.\r\n";
  for (int i = 0; i < count; ++i) {
    raw += "--b\r\nContent-Type: application/octet-stream\r\n";
    raw += "Content-Disposition: attachment; filename=\"f" + std::to_string(i) + ".bin\"\r\n\r\n";
    raw += std::string(bytes_each, 'x') + "\r\n";
  }
  return raw + "--b--\r\n";
}

TEST(ParseEmailTest, LimitsAreEnforced) {
  EmailLimits limits;
  limits.max_message_bytes = 4000;
  limits.max_attachment_bytes = 100;
  limits.max_attachments = 3;
  limits.max_text_bytes = 50;

  EXPECT_EQ(ParseOk(MixedWithAttachments(3, 100), limits).attachments.size(), 3u);

  Status status = ParseError(MixedWithAttachments(4, 10), limits);
  EXPECT_EQ(status.code(), ErrorCode::kPayloadTooLarge);
  EXPECT_EQ(status.field(), "attachments");

  // One file over the limit does not refuse the message: it comes back flagged, whole.
  EmailMessage oversized = ParseOk(MixedWithAttachments(2, 101), limits);
  EXPECT_EQ(oversized.text, "Files.");
  ASSERT_EQ(oversized.attachments.size(), 2u);
  EXPECT_TRUE(oversized.attachments[0].too_large);
  EXPECT_EQ(oversized.attachments[0].filename, "f0.bin");
  EXPECT_EQ(oversized.attachments[0].data.size(), 101u);
  EXPECT_FALSE(ParseOk(MixedWithAttachments(1, 100), limits).attachments[0].too_large);

  status = ParseError(MixedWithAttachments(1, 4000), limits);
  EXPECT_EQ(status.code(), ErrorCode::kPayloadTooLarge);
  EXPECT_EQ(status.field(), "message");

  status = ParseError(WithHeaders("\r\n" + std::string(51, 'a') + "\r\n"), limits);
  EXPECT_EQ(status.code(), ErrorCode::kPayloadTooLarge);
  EXPECT_EQ(status.field(), "text");
  EXPECT_TRUE(ParseEmail(WithHeaders("\r\n" + std::string(50, 'a') + "\r\n"), limits).ok());
}

std::string NestedMultiparts(int depth) {
  std::string raw = WithHeaders("Content-Type: multipart/mixed; boundary=b0\r\n\r\n");
  for (int level = 1; level <= depth; ++level) {
    raw += "--b" + std::to_string(level - 1) + "\r\n";
    raw += "Content-Type: multipart/mixed; boundary=b" + std::to_string(level) + "\r\n\r\n";
  }
  raw += "--b" + std::to_string(depth) + "\r\nContent-Type: text/plain\r\n\r\ndeep\r\n";
  for (int level = depth; level >= 0; --level) raw += "--b" + std::to_string(level) + "--\r\n";
  return raw;
}

TEST(ParseEmailTest, NestingDepthIsLimited) {
  // The top-level multipart is depth 0, so 9 more levels put the text at depth 10.
  EXPECT_EQ(ParseOk(NestedMultiparts(9)).text, "deep");
  const Status status = ParseError(NestedMultiparts(10));
  EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("nested more than 10 levels"));
  // Far deeper than GMime itself follows: refused, not a crash.
  EXPECT_FALSE(ParseEmail(NestedMultiparts(3000)).ok());
}

TEST(ComposeEmailTest, RoundTripsThroughTheParser) {
  const std::string raw =
      ComposeEmail("psea@example.org", {"cdt@example.org", "chief@example.org"},
                   "Plainte urgente : enfant", "Ligne un.\nLigne deux : é à ç.");
  EXPECT_NE(raw.find("Message-Id: <"), std::string::npos) << raw;
  EXPECT_NE(raw.find("To: cdt@example.org, chief@example.org"), std::string::npos) << raw;
  auto parsed = ParseEmail(raw);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->subject, "Plainte urgente : enfant");
  EXPECT_EQ(parsed->from_address, "psea@example.org");
  EXPECT_NE(parsed->text.find("Ligne deux : é à ç."), std::string::npos) << parsed->text;
}

// Acknowledgements.

struct AckCase {
  std::string name;
  std::string headers;  // added before "From: ..."
  std::string from;
  std::string why_not;  // a word of WhyNoAcknowledgement's answer; "" when a reply may go
};

TEST(WhyNoAcknowledgementTest, NeverAnswersProgramsListsAndBounces) {
  const std::vector<AckCase> cases = {
      {"a person", "Return-Path: <reporter@example.org>\r\n", "reporter@example.org", ""},
      {"no Return-Path (not through Postfix)", "", "reporter@example.org", ""},
      {"Auto-Submitted: no", "Auto-Submitted: no\r\n", "reporter@example.org", ""},
      {"a bounce", "Return-Path: <>\r\n", "reporter@example.org", "bounce"},
      {"from MAILER-DAEMON", "", "MAILER-DAEMON@mx.example.org", "bounce"},
      {"from postmaster", "Return-Path: <Postmaster@example.org>\r\n", "x@example.org", "bounce"},
      {"an auto-reply", "Auto-Submitted: auto-replied\r\n", "reporter@example.org", "automat"},
      {"a notification", "Auto-Submitted: auto-generated\r\n", "reporter@example.org", "automat"},
      {"a list", "List-Id: <cdt.lists.example.org>\r\n", "reporter@example.org", "automat"},
      {"bulk", "Precedence: bulk\r\n", "reporter@example.org", "automat"},
      {"Outlook's out of office", "X-Auto-Response-Suppress: All\r\n", "reporter@example.org",
       "automat"},
      {"no sender", "", "", "sender"},
  };
  for (const auto& c : cases) {
    const std::string raw = c.headers + (c.from.empty() ? "" : "From: " + c.from + "\r\n") +
                            "Subject: Synthetic\r\n\r\nSynthetic text.\r\n";
    const EmailMessage email = ParseOk(raw);
    const std::string why = WhyNoAcknowledgement(email);
    if (c.why_not.empty()) {
      EXPECT_EQ(why, "") << c.name;
    } else {
      EXPECT_THAT(why, HasSubstr(c.why_not)) << c.name;
    }
  }
}

TEST(ParseEmailTest, ReadsReturnPathAndReferences) {
  const EmailMessage email = ParseOk(
      "Return-Path: <Reporter@Example.ORG>\r\nFrom: reporter@example.org\r\n"
      "Message-ID: <m3@example.org>\r\n"
      "References: <m1@example.org>\r\n <bad id@example.org> <m2@example.org>\r\n"
      "Subject: x\r\n\r\ntext\r\n");
  EXPECT_EQ(email.return_path, "reporter@example.org");
  EXPECT_EQ(email.message_id, "m3@example.org");
  EXPECT_EQ(email.references, (std::vector<std::string>{"m1@example.org", "m2@example.org"}));
  EXPECT_FALSE(email.automated);
  EXPECT_EQ(ParseOk("From: a@example.org\r\n\r\ntext\r\n").return_path, std::nullopt);
}

TEST(ComposeAcknowledgementTest, IsAnAutomaticReplyWithTheCodeInBothLanguages) {
  Acknowledgement ack;
  ack.from = "cdt-ack@mission.example";
  ack.to = "reporter@example.org";
  ack.receipt_code = "7KQ2-M9XD-4TGA-B1ZC";
  ack.subject = "Signalement synthétique";
  ack.in_reply_to = "m3@example.org";
  ack.references = {"m1@example.org", "m2@example.org"};
  const std::string raw = ComposeAcknowledgement(ack);
  EXPECT_THAT(raw, HasSubstr("Auto-Submitted: auto-replied\n")) << raw;
  EXPECT_THAT(raw, HasSubstr("In-Reply-To: <m3@example.org>")) << raw;
  EXPECT_THAT(raw, HasSubstr("<m1@example.org>")) << raw;
  EXPECT_THAT(raw, HasSubstr("Content-Type: text/plain; charset=utf-8")) << raw;
  EXPECT_THAT(raw, HasSubstr("Content-Transfer-Encoding: quoted-printable")) << raw;
  EXPECT_THAT(raw, HasSubstr("To: reporter@example.org")) << raw;
  auto parsed = ParseEmail(raw);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->subject, "Re: Signalement synthétique");
  EXPECT_EQ(parsed->from_address, "cdt-ack@mission.example");
  EXPECT_TRUE(parsed->automated);  // psea would never answer its own acknowledgement
  EXPECT_EQ(parsed->references,
            (std::vector<std::string>{"m1@example.org", "m2@example.org", "m3@example.org"}));
  EXPECT_THAT(parsed->text, HasSubstr("7KQ2-M9XD-4TGA-B1ZC"));
  EXPECT_THAT(parsed->text, HasSubstr("ne transférez pas ce message"));
  EXPECT_THAT(parsed->text, HasSubstr("do not forward this message"));

  // Without a usable Message-ID there is nothing to refer to; a reply keeps one "Re:".
  ack.in_reply_to = "not <an> id";
  ack.subject = "RE: suite";
  const std::string bare = ComposeAcknowledgement(ack);
  EXPECT_THAT(bare, ::testing::Not(HasSubstr("In-Reply-To")));
  EXPECT_EQ(ParseEmail(bare)->subject, "RE: suite");
  ack.subject.clear();
  EXPECT_EQ(ParseEmail(ComposeAcknowledgement(ack))->subject, "Signalement reçu / Report received");
}

}  // namespace
}  // namespace psea::intake
