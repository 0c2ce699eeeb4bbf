#include "modules/intake/content_type.h"

#include <gtest/gtest.h>

namespace psea::intake {
namespace {

using namespace std::string_literals;

TEST(SniffContentTypeTest, ReadsTheTypeFromTheBytesNotTheName) {
  EXPECT_EQ(SniffContentType("%PDF-1.7\n...").mime, "application/pdf");
  EXPECT_EQ(SniffContentType("\x89PNG\r\n\x1a\n....."s).mime, "image/png");
  EXPECT_EQ(SniffContentType("\xFF\xD8\xFF\xE0....JFIF"s).mime, "image/jpeg");
  EXPECT_EQ(SniffContentType("GIF89a...").mime, "image/gif");
  EXPECT_EQ(SniffContentType("RIFF\x10\0\0\0WEBPVP8 "s).mime, "image/webp");
  EXPECT_EQ(SniffContentType("RIFF\x10\0\0\0WAVEfmt "s).mime, "audio/wav");
  EXPECT_EQ(SniffContentType("\0\0\0\x20"
                             "ftypM4A \0\0\0\0"s)
                .mime,
            "audio/mp4");
  EXPECT_EQ(SniffContentType("\0\0\0\x18"
                             "ftyp3gp4\0\0\0\0"s)
                .mime,
            "video/3gpp");
  EXPECT_EQ(SniffContentType("OggS\0\x02"s).mime, "audio/ogg");
  EXPECT_EQ(SniffContentType("#!AMR\n").mime, "audio/amr");
  EXPECT_EQ(SniffContentType("ID3\x04\0"s).mime, "audio/mpeg");
  EXPECT_EQ(SniffContentType("PK\x03\x04....word/document.xml"s).mime,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(SniffContentType("PK\x03\x04....other"s).mime, "application/zip");
  EXPECT_EQ(SniffContentType("Texte en fran\xC3\xA7"
                             "ais\nsur deux lignes")
                .mime,
            "text/plain; charset=utf-8");
}

TEST(SniffContentTypeTest, ProgramsAreFlaggedAndActiveContentIsNeverShown) {
  EXPECT_TRUE(SniffContentType("MZ\x90\0\x03"s).executable);
  EXPECT_TRUE(SniffContentType("\x7F"
                               "ELF\x02\x01"s)
                  .executable);
  EXPECT_TRUE(SniffContentType("#!/bin/sh\nrm -rf /\n").executable);
  EXPECT_FALSE(SniffContentType("%PDF-1.4").executable);
  EXPECT_EQ(SniffContentType("<html><script>alert(1)</script>").mime, "application/octet-stream");
  EXPECT_EQ(SniffContentType("<svg onload=x>").mime, "application/octet-stream");
  EXPECT_EQ(SniffContentType("\x01\x02\x03\x04"s).mime, "application/octet-stream");
  EXPECT_EQ(SniffContentType("").mime, "application/octet-stream");
}

}  // namespace
}  // namespace psea::intake
