/**
 * A {@link io.sessionstate.ValueCodec} over Kryo with class registration required: {@link
 * io.sessionstate.kryo.KryoValueCodec}.
 */
@NullMarked
package io.sessionstate.kryo;

import org.jspecify.annotations.NullMarked;
