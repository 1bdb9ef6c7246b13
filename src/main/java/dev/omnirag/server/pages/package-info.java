/**
 * Views of a stored PDF's pages for clients: PNG page images (cached under {@code <home>/pages}) and the boxes
 * that a quoted passage covers on its page.
 */
package dev.omnirag.server.pages;
