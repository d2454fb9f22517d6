// Package store is the daemon's embedded state: one bbolt database under
// the data root holding JSON records in named buckets (containers, images,
// tags, volumes, networks).
//
// Durability: every Put and Delete is written to the database file before
// it returns, so a daemon killed with SIGKILL loses nothing it
// acknowledged. The database is opened with NoSync and fsynced by a
// background loop at most once per SyncInterval when it is dirty (and on
// Close): a machine crash can lose the changes of that last interval. The
// hot path (create, start, exit, remove) therefore never waits on a disk
// flush.
//
// It must not hold anything but small records: logs, layers and volume
// data live in plain files next to it.
package store

import (
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
)

// SyncInterval bounds how long an acknowledged change may sit unflushed.
const SyncInterval = time.Second

// Store is an open state database.
type Store struct {
	db    *bolt.DB
	dirty atomic.Bool
	kick  chan struct{}
	stop  chan struct{}
	wg    sync.WaitGroup
}

// Open opens (creating) the database at path and its buckets.
func Open(path string, buckets ...string) (*Store, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second, NoSync: true, NoFreelistSync: true})
	if err != nil {
		return nil, fmt.Errorf("open state database %s: %w (is another daemon using this --data-root?)", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range buckets {
			if _, err := tx.CreateBucketIfNotExists([]byte(b)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	s := &Store{db: db, kick: make(chan struct{}, 1), stop: make(chan struct{})}
	s.wg.Add(1)
	go s.syncer()
	return s, nil
}

func (s *Store) syncer() {
	defer s.wg.Done()
	for {
		select {
		case <-s.stop:
			return
		case <-s.kick:
		}
		t := time.NewTimer(SyncInterval)
		select {
		case <-s.stop:
			t.Stop()
			return
		case <-t.C:
		}
		if s.dirty.Swap(false) {
			s.db.Sync()
		}
	}
}

func (s *Store) touched() {
	s.dirty.Store(true)
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// Close flushes and closes the database.
func (s *Store) Close() error {
	close(s.stop)
	s.wg.Wait()
	s.db.Sync()
	return s.db.Close()
}

// Put stores v as JSON under key in bucket.
func (s *Store) Put(bucket, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte(bucket)).Put([]byte(key), b)
	})
	if err == nil {
		s.touched()
	}
	return err
}

// Delete removes key from bucket (no error if absent).
func (s *Store) Delete(bucket, key string) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte(bucket)).Delete([]byte(key))
	})
	if err == nil {
		s.touched()
	}
	return err
}

// Get decodes the record under key into v; ok is false when absent.
func (s *Store) Get(bucket, key string, v any) (ok bool, err error) {
	err = s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(bucket)).Get([]byte(key))
		if b == nil {
			return nil
		}
		ok = true
		return json.Unmarshal(b, v)
	})
	return ok, err
}

// ForEach calls fn with every key and raw JSON record of bucket.
func (s *Store) ForEach(bucket string, fn func(key string, raw []byte) error) error {
	return s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte(bucket)).ForEach(func(k, v []byte) error {
			return fn(string(k), v)
		})
	})
}
