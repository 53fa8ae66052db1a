"""Pure normalizers: names, titles, dates, places and ids -> canonical codes."""
