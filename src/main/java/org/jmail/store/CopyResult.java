package org.jmail.store;

import java.util.List;

/**
 * UIDPLUS's COPYUID data: the target's UIDVALIDITY and, pairwise, the source UIDs copied and
 * the UIDs their copies got (same order, same length).
 */
public record CopyResult(long uidValidity, List<Long> sourceUids, List<Long> targetUids) {
}
