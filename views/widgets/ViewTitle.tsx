// The first lines of a view: its title, and under it a warning about its data when there is
// one (forbidden, stale, a bad selector), both cut to the width.
import { Text } from 'ink';
import { truncate } from '../format.js';

export function ViewTitle({ title, warn, width }: { title: string; warn?: string; width: number }) {
  return (
    <>
      <Text bold wrap="truncate">
        {truncate(title, width)}
      </Text>
      {warn ? (
        <Text color="yellow" wrap="truncate">
          {truncate(warn, width)}
        </Text>
      ) : null}
    </>
  );
}
