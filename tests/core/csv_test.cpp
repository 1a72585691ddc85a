// The one CSV reader (RFC 4180) that the trace, the event log's report and the tests share.
#include "core/csv.hpp"

#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

using h2sim::csv_read_record;
using h2sim::csv_split;

namespace {
std::vector<std::string> records(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  std::string record;
  while (csv_read_record(in, record)) {
    out.push_back(record);
  }
  return out;
}
} // namespace

TEST_CASE("csv: bare and quoted fields, doubled quotes, commas inside quotes, empty fields") {
  const auto f = csv_split(R"(a,"b,c","say ""hi""",,"")");
  CHECK(f.error.empty());
  CHECK(f.count == 5);
  CHECK(f.cells == std::vector<std::string>{"a", "b,c", "say \"hi\"", "", ""});
  CHECK(csv_split("").cells == std::vector<std::string>{""});
  CHECK(csv_split("x,").cells == std::vector<std::string>{"x", ""});
}

TEST_CASE("csv: blanks are the field's, or trimmed on request") {
  CHECK(csv_split(" a , b ").cells == std::vector<std::string>{" a ", " b "});
  CHECK(csv_split(" a ,\t\"b\" ", true).cells == std::vector<std::string>{"a", "b"});
  CHECK(csv_split(R"(" a ")", true).cells == std::vector<std::string>{" a "});
}

TEST_CASE("csv: what is not RFC 4180 is named") {
  const auto unclosed = csv_split(R"(a,"b)");
  CHECK(unclosed.unclosed);
  CHECK(unclosed.error == "a quoted value is not closed");
  CHECK(csv_split(R"(a"b)").error ==
        "a quote inside an unquoted value (quote the whole value, doubling the quotes in it)");
  CHECK(csv_split(R"("a"b)").error == "text after the closing quote of a value");
  CHECK(!csv_split(R"("a"b)").unclosed);
}

TEST_CASE("csv: only the first fields are kept, all are counted") {
  const auto f = csv_split("1,2,3,4", false, 2);
  CHECK(f.count == 4);
  CHECK(f.cells == std::vector<std::string>{"1", "2"});
}

TEST_CASE("csv: records end at LF or CRLF, and go on past line ends inside quotes") {
  CHECK(records("a,b\r\nc,d\ne\n") == std::vector<std::string>{"a,b", "c,d", "e"});
  CHECK(records("x\r\n\r\n") == std::vector<std::string>{"x", ""});
  CHECK(records("no end") == std::vector<std::string>{"no end"});
  // A line end inside quotes is the field's, CRLF as written.
  const auto multi = records("1,\"two\r\nlines\",3\r\n4\r\n");
  REQUIRE(multi.size() == 2);
  CHECK(multi[0] == "1,\"two\r\nlines\",3");
  CHECK(csv_split(multi[0]).cells == std::vector<std::string>{"1", "two\r\nlines", "3"});
  CHECK(multi[1] == "4");
  // Quotes doubled across the line end still pair up.
  CHECK(csv_split(records("\"a\"\"\nb\"\n")[0]).cells == std::vector<std::string>{"a\"\nb"});
  // A quote left open runs to the end of the input, where the split names it.
  const auto open = records("\"a\nb");
  REQUIRE(open.size() == 1);
  CHECK(csv_split(open[0]).unclosed);
}

TEST_CASE("csv: a written cell reads back") {
  for (const std::string text : {"plain", "a,b", "say \"hi\"", "line\nbreak", "", "cr\r"}) {
    const auto f = csv_split(h2sim::csv_cell(text) + "," + h2sim::csv_cell(text));
    CHECK(f.cells == std::vector<std::string>{text, text});
  }
}

TEST_CASE("csv: a line of spaces, tabs and a CR is blank, anything else is not") {
  CHECK(h2sim::csv_blank(""));
  CHECK(h2sim::csv_blank(" \t\r"));
  CHECK_FALSE(h2sim::csv_blank(" ,"));
  CHECK_FALSE(h2sim::csv_blank("\"\""));
}
