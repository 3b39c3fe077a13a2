/*
 * The catalog of the two-replica benchmark: an engineering organisation of `entities` components, each owned by one of
 * the teams (`teamSize` components a team), teams grouped in departments under one root group, and the guest user as a
 * member of the first team (the benchmark reads as that user, as a person opening the DORA org page would). Written as
 * one catalog file that the portal reads as a `file` location.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface BenchOrg {
  entities: number;
  teamSize: number;
  teamsPerDepartment: number;
}

export const componentName = (index: number) =>
  `service-${String(index).padStart(5, '0')}`;
export const componentRef = (index: number) =>
  `component:default/${componentName(index)}`;
export const teamName = (team: number) =>
  `team-${String(team).padStart(3, '0')}`;
export const teamRef = (team: number) => `group:default/${teamName(team)}`;
const departmentName = (department: number) =>
  `department-${String(department).padStart(2, '0')}`;

export const teamCount = (org: BenchOrg) =>
  Math.ceil(org.entities / org.teamSize);

/** The catalog documents of the organisation, users and groups first. */
export function orgDocuments(org: BenchOrg): object[] {
  const teams = teamCount(org);
  const departments = Math.ceil(teams / org.teamsPerDepartment);
  const group = (name: string, type: string, title: string, spec: object) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, title },
    spec: { type, profile: { displayName: title }, ...spec },
  });
  const documents: object[] = [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: 'guest' },
      spec: { profile: { displayName: 'Guest' }, memberOf: [teamName(0)] },
    },
    group('engineering', 'department', 'Engineering', { children: [] }),
  ];
  for (let d = 0; d < departments; d++) {
    documents.push(
      group(departmentName(d), 'department', `Department ${d}`, {
        parent: 'engineering',
        children: [],
      }),
    );
  }
  for (let t = 0; t < teams; t++) {
    const department = departmentName(Math.floor(t / org.teamsPerDepartment));
    documents.push(
      group(teamName(t), 'team', `Team ${t}`, {
        parent: department,
        children: [],
      }),
    );
  }
  for (let i = 0; i < org.entities; i++) {
    documents.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: componentName(i) },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: teamName(Math.floor(i / org.teamSize)),
      },
    });
  }
  return documents;
}

/** Writes the organisation as one multi-document catalog file (JSON documents are YAML) and returns its path. */
export function writeOrgFile(dir: string, org: BenchOrg): string {
  const file = path.join(dir, 'dora-bench-org.yaml');
  fs.writeFileSync(
    file,
    `${orgDocuments(org)
      .map(d => JSON.stringify(d))
      .join('\n---\n')}\n`,
  );
  return file;
}
