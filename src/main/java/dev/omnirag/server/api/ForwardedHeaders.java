package dev.omnirag.server.api;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The address a client reached through a proxy, from RFC 7239 {@code Forwarded} ({@code host=}, {@code proto=} of
 * the first element: the one the client's side of the first proxy wrote) or the de-facto
 * {@code X-Forwarded-Host}/{@code X-Forwarded-Proto}. Only used when {@code omnirag.http.trust-forwarded} says the
 * proxy sets these headers.
 */
final class ForwardedHeaders {

    /** A host name, IPv4 address or bracketed IPv6 address, with an optional port: nothing that could end a URL's authority. */
    private static final Pattern HOST = Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]{2,45}])(?::[0-9]{1,5})?");

    private ForwardedHeaders() {}

    /** {@code proto://host} from the headers, or null when they name no usable host. */
    static String base(String forwarded, String forwardedHost, String forwardedProto) {
        String host = null;
        String proto = null;
        if (forwarded != null && !forwarded.isBlank()) {
            String first = forwarded.split(",", 2)[0];
            for (String pair : first.split(";")) {
                String[] kv = pair.strip().split("=", 2);
                if (kv.length != 2) {
                    continue;
                }
                String value = kv[1].strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                switch (kv[0].strip().toLowerCase(Locale.ROOT)) {
                    case "host" -> host = value;
                    case "proto" -> proto = value;
                    default -> {
                        // for=, by= and extensions say nothing about the address.
                    }
                }
            }
        }
        if (host == null && forwardedHost != null) {
            host = forwardedHost.split(",", 2)[0].strip();
        }
        if (proto == null && forwardedProto != null) {
            proto = forwardedProto.split(",", 2)[0].strip();
        }
        if (host == null || !HOST.matcher(host).matches()) {
            return null;
        }
        proto = proto == null ? "http" : proto.toLowerCase(Locale.ROOT);
        if (!proto.equals("http") && !proto.equals("https")) {
            return null;
        }
        return proto + "://" + host;
    }
}
