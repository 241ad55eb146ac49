package io.sessionstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.spi.VersionedSessionStore.Stored;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

/** {@link Stored}'s uncopied blob: taken as it is, read in place, never written through. */
class StoredViewTest {

  @Test
  void presentUncopied_blobView_readsTheArrayInPlace_readOnly() {
    byte[] blob = {1, 2, 3};
    Stored stored = Stored.presentUncopied(blob, 7);
    ByteBuffer view = stored.blobView();
    assertThat(view.isReadOnly()).isTrue();
    assertThat(view.remaining()).isEqualTo(3);
    assertThatThrownBy(() -> view.put(0, (byte) 9)).isInstanceOf(ReadOnlyBufferException.class);
    blob[0] = 4; // the store gave the array up; a view shows what it holds
    assertThat(stored.blobView().get(0)).isEqualTo((byte) 4);
    assertThat(stored.blob()).containsExactly(4, 2, 3).isNotSameAs(blob);
    assertThat(stored.version()).isEqualTo(7);
  }

  @Test
  void presentUncopied_negativeVersion_rejected_andAbsentHasNoView() {
    assertThatThrownBy(() -> Stored.presentUncopied(new byte[0], -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("version must not be negative: -1");
    assertThatThrownBy(() -> Stored.absent().blobView()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void present_stillCopiesOnTheWayIn() {
    byte[] blob = {1, 2, 3};
    Stored stored = Stored.present(blob, 1);
    blob[0] = 4;
    assertThat(stored.blobView().get(0)).isEqualTo((byte) 1);
  }
}
