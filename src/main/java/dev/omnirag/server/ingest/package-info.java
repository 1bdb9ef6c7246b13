/**
 * Ingestion: the content-addressed blob store (and the start-up sweep of files no document refers to), Tika parsing
 * into pages (plain text that is well-formed UTF-8 read as such, {@code StrictUtf8}, other text in the charset Tika
 * detects; tables as rows under their header, sheets as pages, running headers and footers of PDFs removed by
 * {@code RunningLines}, PDF tables from text positions by {@code PdfTables}, pages whose text layer interleaves two
 * columns read column by column by {@code PdfColumns}, the blank lines of wide line spacing taken out by {@code LineSpacing}, a PDF's footnotes moved after its page's text by {@code Footnotes}, a sentence cut by a page break kept whole on the page it starts on by {@code PageBreaks}, raised digits (notes' numbers, exponents) of PDFs, web pages ({@code <sup>}) and Word files, decks and OpenDocument texts ({@code OfficeSuperscripts}) written as superscripts by {@code Superscripts}, a form's filled fields on their pages by {@code PdfForms}, a web page's menus, banner, footer and sidebars left out by its landmarks ({@code HtmlLandmarks}), unusable text layers judged by {@code TextLayer}; the text collected from Tika's XHTML by {@code PageHandler}; an e-mail message with its people, date and attachments by {@code MailMessages}, a Jupyter notebook's cells by {@code Notebooks}, an EPUB book's sections in reading order as its pages, without its table of contents, by {@code EpubBooks}, captions and a video's subtitle track as a timed transcript by {@code Captions}), OCR of scans, of pictures on PDF text pages and of the pictures of office files ({@code OfficePictures})
 * ({@code MediaProcessor}), sentence-aware chunking ({@code Chunker}, {@code ChunkPlanner}; tables of contents and indexes found by {@code TableOfContents} are not chunked), the sources of imports ({@code ArchiveReader}, {@code DirectoryReader}, {@code MailboxReader} for an mbox mailbox), and the durable job pipeline in four parts: {@code JobQueue} (the job rows and
 * their state machine), {@code IngestionPipeline} (parse, plan chunks, embed; no threading), {@code GroupCommitter}
 * (commit, at most once per {@code omnirag.ingest.commit-interval} while documents keep coming, then mark ready) and
 * {@code IngestionWorkers} (threads, leases, supervision; each worker prepares its next documents while its embedding
 * thread embeds the ones before), claiming jobs round-robin over collections.
 */
package dev.omnirag.server.ingest;
