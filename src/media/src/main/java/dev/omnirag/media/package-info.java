/**
 * Turning images, scanned pages and recordings into text with positions, in plain Java: bounded image decoding
 * ({@link dev.omnirag.media.ImageDecoder}), page rendering ({@link dev.omnirag.media.PageRenderer}), where a PDF page's pictures are drawn
 * ({@link dev.omnirag.media.PdfFigures}) and whether it is a scan ({@link dev.omnirag.media.PdfScans}), OCR with word
 * boxes ({@link dev.omnirag.media.OcrEngine}, {@link dev.omnirag.media.TesseractOcrEngine}), audio decoding to
 * 16 kHz mono ({@link dev.omnirag.media.AudioDecoder}) and speech recognition with timestamps
 * ({@link dev.omnirag.media.Transcriber}, {@link dev.omnirag.media.PocketSphinxTranscriber}), and captions
 * (WebVTT, SubRip, a video's subtitle track) read with their times and speakers ({@link dev.omnirag.media.Subtitles}). Failures are
 * {@link dev.omnirag.media.MediaException}s whose messages describe the file's problem for end users.
 */
package dev.omnirag.media;
