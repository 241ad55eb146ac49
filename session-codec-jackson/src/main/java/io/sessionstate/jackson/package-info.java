/**
 * Object session values as JSON through Jackson 3: {@link
 * io.sessionstate.jackson.JacksonValueCodec}.
 */
@NullMarked
package io.sessionstate.jackson;

import org.jspecify.annotations.NullMarked;
