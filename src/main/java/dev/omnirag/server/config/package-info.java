/** Configuration: one {@code @ConfigMapping} interface per concern under {@code omnirag.*}. */
package dev.omnirag.server.config;
