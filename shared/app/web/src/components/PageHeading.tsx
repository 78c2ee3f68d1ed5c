import { useEffect, useRef, type ReactNode } from 'react';

/**
 * The page's h1, which also sets the document title. It takes focus when the page mounts so that after a
 * client-side navigation screen-reader and keyboard users start at the new page, not at the old link.
 */
export function PageHeading({ title, children }: { title: string; children?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <>
      <title>{`${title} · Taskboard`}</title>
      <h1 ref={ref} tabIndex={-1} className="page-title">
        {children ?? title}
      </h1>
    </>
  );
}
