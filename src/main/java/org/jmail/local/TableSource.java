package org.jmail.local;

import java.io.IOException;
import java.util.List;
import org.jmail.table.LookupTable;
import org.jmail.table.Tables;

/** Where alias_maps tables come from: {@link Tables#openList} in production, fakes in tests. */
@FunctionalInterface
interface TableSource {

    List<LookupTable> openList(String value) throws IOException;

    TableSource TABLES = Tables::openList;
}
