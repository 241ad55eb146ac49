/**
 * Object session values as JSON through Jackson 3: {@link
 * io.sessionstate.jackson.JacksonValueCodec}.
 */
package io.sessionstate.jackson;
