// The toolbar above a type table: a name filter and how many rows match.
export function FilterBar(props: {
  value: string;
  onChange: (text: string) => void;
  count: number | null;
  noun: [singular: string, plural: string];
  testId: string;
}) {
  const { value, onChange, count, noun, testId } = props;
  return (
    <div className="view-toolbar">
      <input
        type="search"
        placeholder={`Filter ${noun[1]}`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-label={`Filter ${noun[1]} by name`}
        data-testid={testId}
      />
      <span className="muted">
        {count === null ? '' : `${count.toLocaleString('en-US')} ${count === 1 ? noun[0] : noun[1]}`}
      </span>
    </div>
  );
}
