"""What each page of the book shows: one function per page computes its numbers, texts, figures and what the
edition lacks (a `Page`), unit-tested without a kernel; the page's notebook only calls it and shows it
(natobook.nbtools.show_page). Paragraphs that need what an edition lacks give way to a note (paragraphs)."""
