package dev.omnirag.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits on decoding images (uploads, scanned pages, image queries), so a hostile file cannot exhaust memory. */
@ConfigMapping(prefix = "omnirag.image")
public interface ImageConfig {

    /**
     * Largest width × height of one image or rendered page, checked from the file's header before decoding
     * (4 bytes per pixel while decoded: the default allows about 160 MB per image).
     */
    @WithDefault("40000000")
    long maxPixels();

    /** Most frames read from one image file (pages of a TIFF, frames of a GIF). */
    @WithDefault("200")
    int maxFrames();

    /** Longest side, in pixels, of the rendering of a page or image given to the multimodal embedder. */
    @WithDefault("512")
    int embedSize();
}
