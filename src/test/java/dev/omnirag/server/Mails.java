package dev.omnirag.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.message.BodyPartBuilder;
import org.apache.james.mime4j.message.DefaultMessageWriter;
import org.apache.james.mime4j.message.MultipartBuilder;

/** E-mail messages as a mail client writes them (MIME, built with mime4j), for tests of their ingestion. */
public final class Mails {

    /** A file attached to a message: {@code type} {@code message/rfc822} attaches a whole message. */
    public record Attachment(String name, String type, byte[] bytes) {}

    private Mails() {}

    /**
     * A message with a plain text and an HTML alternative of the same body (as Gmail and Outlook send), then its
     * attachments.
     */
    public static byte[] message(
            String subject,
            String from,
            List<String> to,
            Instant date,
            String plain,
            String html,
            List<Attachment> attachments)
            throws IOException {
        try {
            MultipartBuilder alternative = MultipartBuilder.create("alternative")
                    .addTextPart(plain, StandardCharsets.UTF_8)
                    .addBodyPart(BodyPartBuilder.create().setBody(html, "html", StandardCharsets.UTF_8));
            MultipartBuilder mixed = MultipartBuilder.create("mixed")
                    .addBodyPart(BodyPartBuilder.create().setBody(alternative.build()));
            for (Attachment a : attachments) {
                BodyPartBuilder part = BodyPartBuilder.create();
                if (a.type().equals("message/rfc822")) {
                    part.setBody(Message.Builder.of(new java.io.ByteArrayInputStream(a.bytes()))
                                    .build())
                            .setContentType("message/rfc822");
                } else {
                    part.setBody(a.bytes(), a.type()).setContentTransferEncoding("base64");
                }
                mixed.addBodyPart(part.setContentDisposition("attachment", a.name()));
            }
            Message message = Message.Builder.of()
                    .setSubject(subject)
                    .setFrom(from)
                    .setTo(to.toArray(String[]::new))
                    .setDate(Date.from(date), java.util.TimeZone.getTimeZone("UTC"))
                    .setMessageId("<" + Math.abs(subject.hashCode()) + "@omnirag.test>")
                    .setBody(mixed.build())
                    .build();
            return bytes(message);
        } catch (org.apache.james.mime4j.dom.field.ParseException e) {
            throw new IOException(e);
        }
    }

    /** A message of plain text only. */
    public static byte[] plain(String subject, String from, String to, Instant date, String body) throws IOException {
        try {
            Message message = Message.Builder.of()
                    .setSubject(subject)
                    .setFrom(from)
                    .setTo(to)
                    .setDate(Date.from(date), java.util.TimeZone.getTimeZone("UTC"))
                    .setBody(body, StandardCharsets.UTF_8)
                    .build();
            return bytes(message);
        } catch (org.apache.james.mime4j.dom.field.ParseException e) {
            throw new IOException(e);
        }
    }

    /** The message as a mail client saves it. */
    /**
     * A message as Outlook saves one ({@code .msg}: an OLE2 file of MAPI properties, built with POI): subject, sender's
     * name, display lists of recipients, submit time, a plain text body, and attachments by their long file names.
     */
    public static byte[] outlook(
            String subject,
            String fromName,
            String toDisplay,
            String ccDisplay,
            Instant submitted,
            String body,
            List<Attachment> attachments)
            throws IOException {
        return dev.omnirag.server.eval.ParsingDevSet.outlookMessage(
                subject,
                fromName,
                toDisplay,
                ccDisplay,
                submitted,
                body,
                attachments.stream()
                        .map(a -> new dev.omnirag.server.eval.ParsingDevSet.Attached(a.name(), a.type(), a.bytes()))
                        .toList());
    }

    private static byte[] bytes(Message message) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new DefaultMessageWriter().writeMessage(message, out);
        return out.toByteArray();
    }
}
